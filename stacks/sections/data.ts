/** `platform:tables` and `platform:queues`: DynamoDB tables and SQS queues, and how they are granted. */
import { AWS_RANGES, DYNAMODB_KEY_TYPES } from "../aws-limits";
import { int, mapOf, oneOf, section, str, v } from "../schema";
import type { Profiles } from "./environments";
import { RESOURCE_NAME, RESOURCE_NAME_ALLOWED } from "./names";

/** DynamoDB access: read (Get/Query/Scan), write (Put/Update/Delete) or both. */
export const TABLE_ACCESS_MODES = ["read", "write", "readwrite"] as const;
export type TableAccessMode = (typeof TABLE_ACCESS_MODES)[number];
/** SQS access: send to a queue, or consume it (receive, delete, change visibility). */
export const QUEUE_ACCESS_MODES = ["send", "consume"] as const;
export type QueueAccessMode = (typeof QUEUE_ACCESS_MODES)[number];

const ATTRIBUTE_NAME = /^[A-Za-z0-9_.-]{1,255}$/;
const ATTRIBUTE_ALLOWED = "an attribute name of letters, digits, _ . -";

const keyAttribute = section({
  /** Attribute name. */
  name: str(ATTRIBUTE_NAME, ATTRIBUTE_ALLOWED),
  /** S (string), N (number) or B (binary); default S. */
  type: v.optional(oneOf(DYNAMODB_KEY_TYPES), "S"),
});
export type KeyAttribute = v.InferOutput<typeof keyAttribute>;

export const tableSchema = section({
  /** Table name within the stack (physical: `<prefix>-<name>`). */
  name: str(RESOURCE_NAME, RESOURCE_NAME_ALLOWED),
  /** Partition key. */
  partitionKey: keyAttribute,
  /** Optional sort key. */
  sortKey: v.optional(keyAttribute),
  /** Attribute holding an epoch-seconds expiry; DynamoDB deletes expired items. */
  ttlAttribute: v.optional(str(ATTRIBUTE_NAME, ATTRIBUTE_ALLOWED)),
});
export type TableSettings = v.InferOutput<typeof tableSchema>;

export const queueSchema = section({
  /** Queue name within the stack (physical: `<prefix>-<name>`, DLQ `<prefix>-<name>-dlq`). */
  name: str(RESOURCE_NAME, RESOURCE_NAME_ALLOWED),
  /** Receives before a message moves to the DLQ (1-1000). */
  maxReceiveCount: int(...AWS_RANGES.sqsMaxReceiveCount),
  /** How long the queue keeps a message, in seconds (60 s to 14 days). */
  retentionSeconds: int(...AWS_RANGES.sqsRetentionSeconds),
  /** Visibility timeout in seconds; at least 6x the timeout of a Lambda consumer, and exactly that by default. */
  visibilityTimeoutSeconds: v.optional(int(...AWS_RANGES.sqsVisibilityTimeoutSeconds)),
});
/** A queue as config declares it (the visibility timeout may be left to the consumer). */
export type QueueEntry = v.InferOutput<typeof queueSchema>;
export type QueueSettings = QueueEntry & { visibilityTimeoutSeconds: number };

/** Defaults of every queue entry. */
export const QUEUE_DEFAULTS: Profiles<Pick<QueueEntry, "maxReceiveCount" | "retentionSeconds">> = {
  dev: { maxReceiveCount: 5, retentionSeconds: 345600 },
  staging: { maxReceiveCount: 5, retentionSeconds: 345600 },
  prod: { maxReceiveCount: 5, retentionSeconds: 345600 },
};

/** A map of declared table names to access modes (the names are checked against `platform:tables`). */
export const tableGrants = mapOf(oneOf(TABLE_ACCESS_MODES), "must be a map of table name to read | write | readwrite");
