/** `platform:functions`: Lambda functions that consume a queue. */
import { AWS_RANGES } from "../aws-limits";
import { int, mapOf, oneOf, section, str, v } from "../schema";
import { tableGrants } from "./data";
import type { Profiles } from "./environments";
import { RESOURCE_NAME, RESOURCE_NAME_ALLOWED } from "./names";

export const functionSchema = section({
  /** Function name; its code is `functions/<name>/handler.ts`. */
  name: str(RESOURCE_NAME, RESOURCE_NAME_ALLOWED),
  /** Queue it consumes (a name in `platform:queues`). */
  queue: str(RESOURCE_NAME, "the name of a queue in platform:queues"),
  /** Timeout in seconds (1-900). */
  timeoutSeconds: int(...AWS_RANGES.lambdaTimeoutSeconds),
  /** Memory in MB (128-10240). */
  memoryMb: int(...AWS_RANGES.lambdaMemoryMb),
  /** Reserved concurrency: the most copies that run at once (2-1000; the SQS event source polls with at least 2). */
  reservedConcurrency: int(2, 1000),
  /** Messages per invocation (1-10 without a batching window, up to 10000 with one). */
  batchSize: int(...AWS_RANGES.lambdaSqsBatchSize),
  /** Seconds to gather a batch (0-300). */
  maxBatchingWindowSeconds: int(...AWS_RANGES.lambdaBatchingWindowSeconds),
  /** Tables and queues it may use besides the queue it consumes. */
  access: v.optional(
    section({
      tables: v.optional(tableGrants, {}),
      queues: v.optional(mapOf(oneOf(["send"] as const), "must be a map of queue name to send"), {}),
    }),
    {},
  ),
});
export type FunctionSettings = v.InferOutput<typeof functionSchema>;

export const FUNCTION_DEFAULTS: Profiles<Omit<FunctionSettings, "name" | "queue" | "access">> = {
  dev: { timeoutSeconds: 30, memoryMb: 256, reservedConcurrency: 2, batchSize: 10, maxBatchingWindowSeconds: 0 },
  staging: { timeoutSeconds: 30, memoryMb: 256, reservedConcurrency: 5, batchSize: 10, maxBatchingWindowSeconds: 1 },
  prod: { timeoutSeconds: 30, memoryMb: 512, reservedConcurrency: 20, batchSize: 10, maxBatchingWindowSeconds: 1 },
};
