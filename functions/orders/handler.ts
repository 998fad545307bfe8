/**
 * Orders consumer: an AWS Lambda function (Node.js 20) behind an SQS event source mapping with
 * `ReportBatchItemFailures`. Each message is an "order placed" event; each valid order is written
 * to a DynamoDB table, once.
 *
 * Failure model: every record that cannot be parsed, fails validation or cannot be written is
 * reported back in `batchItemFailures`, so SQS makes it visible again and, after the queue's
 * `maxReceiveCount`, moves it to the dead-letter queue. Records that succeed are deleted by SQS.
 * Nothing is lost and nothing is dropped silently. Writes are conditional on the order id, so a
 * redelivered message (SQS is at-least-once) is a harmless "duplicate", not a second order.
 *
 * Meant for a standard queue: records are processed concurrently, which a FIFO queue's per-group
 * ordering would not allow.
 *
 * Only Node built-ins are imported at the top: `@aws-sdk/client-dynamodb` ships with the Lambda
 * runtime and is loaded on first use, so tests can import this module without it.
 */

// ---------------------------------------------------------------------------------------------
// Event shapes (the subset of the Lambda SQS event and response that this function uses)
// ---------------------------------------------------------------------------------------------

/** One SQS message as delivered to Lambda. */
export interface SqsRecord {
  messageId: string;
  body: string;
  receiptHandle?: string;
  attributes?: Record<string, string>;
  messageAttributes?: Record<string, unknown>;
  eventSourceARN?: string;
}

export interface SqsEvent {
  Records: SqsRecord[];
}

/** The partial-batch response: the listed messages are retried, every other one is deleted. */
export interface SqsBatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

// ---------------------------------------------------------------------------------------------
// Orders and their validation
// ---------------------------------------------------------------------------------------------

export interface OrderItem {
  sku: string;
  /** An integer, at least 1. */
  quantity: number;
}

export interface Order {
  /** 1-64 characters of A-Z, a-z, 0-9, `_` and `-`; the table's partition key. */
  orderId: string;
  customerId: string;
  /** 1-100 lines. */
  items: OrderItem[];
  /** A finite number, at least 0. */
  total: number;
  /** ISO 4217 style: three upper-case letters. */
  currency: string;
  /** ISO-8601 date and time with a zone, e.g. `2024-05-01T12:30:00Z`. */
  placedAt: string;
}

export type ValidationResult = { ok: true; order: Order } | { ok: false; reason: string };

const ORDER_ID = /^[A-Za-z0-9_-]{1,64}$/;
const CURRENCY = /^[A-Z]{3}$/;
const MAX_ITEMS = 100;

/**
 * Checks a parsed message body against the order contract. Unknown fields (top level and per
 * item) are ignored and not copied into the returned order, so only known fields are stored.
 * Reasons name the field but never echo its value, so they are safe to log.
 */
export function validateOrder(body: unknown): ValidationResult {
  const fail = (reason: string): ValidationResult => ({ ok: false, reason });
  if (!isPlainObject(body)) return fail("order must be a JSON object");

  const { orderId, customerId, items, total, currency, placedAt } = body;
  if (typeof orderId !== "string" || !ORDER_ID.test(orderId)) {
    return fail("orderId must be a string of 1-64 characters from A-Z, a-z, 0-9, '_' and '-'");
  }
  if (typeof customerId !== "string" || customerId.trim() === "") {
    return fail("customerId must be a non-empty string");
  }
  if (!Array.isArray(items) || items.length < 1 || items.length > MAX_ITEMS) {
    return fail(`items must be an array of 1-${MAX_ITEMS} items`);
  }
  const lines: OrderItem[] = [];
  for (const [index, item] of items.entries()) {
    if (!isPlainObject(item)) return fail(`items[${index}] must be an object`);
    if (typeof item.sku !== "string" || item.sku.trim() === "") {
      return fail(`items[${index}].sku must be a non-empty string`);
    }
    if (typeof item.quantity !== "number" || !Number.isInteger(item.quantity) || item.quantity < 1) {
      return fail(`items[${index}].quantity must be an integer of at least 1`);
    }
    lines.push({ sku: item.sku, quantity: item.quantity });
  }
  if (typeof total !== "number" || !Number.isFinite(total) || total < 0) {
    return fail("total must be a finite number of at least 0");
  }
  if (typeof currency !== "string" || !CURRENCY.test(currency)) {
    return fail("currency must be three upper-case letters");
  }
  if (typeof placedAt !== "string" || !isIsoTimestamp(placedAt)) {
    return fail("placedAt must be an ISO-8601 timestamp with a time zone, e.g. 2024-05-01T12:30:00Z");
  }
  return { ok: true, order: { orderId, customerId, items: lines, total, currency, placedAt } };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`: the RFC 3339 profile of ISO-8601 (the form
 * `Date.prototype.toISOString` and most producers emit). A bare date, or a time without a zone,
 * is ambiguous and rejected.
 */
const ISO_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:Z|[+-](\d{2}):(\d{2}))$/;

/** Shape and calendar check: `Date.parse` alone would roll 2024-02-30 over to March 1st. */
function isIsoTimestamp(value: string): boolean {
  const match = ISO_TIMESTAMP.exec(value);
  if (!match) return false;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  const offsetHours = Number(match[7] ?? 0);
  const offsetMinutes = Number(match[8] ?? 0);
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    offsetHours <= 23 &&
    offsetMinutes <= 59
  );
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

// ---------------------------------------------------------------------------------------------
// The handler
// ---------------------------------------------------------------------------------------------

/** Where orders are written. `put` must be idempotent per `orderId`. */
export interface OrderStore {
  /** "created" on the first write of an order id, "duplicate" when it is already stored. */
  put(order: Order): Promise<"created" | "duplicate">;
}

export type Log = (entry: object) => void;

/** One JSON object per line on stdout, which CloudWatch Logs keeps as one event. */
const jsonLine: Log = (entry) => console.log(JSON.stringify(entry));

/** Why one record failed; `stage` tells a poison message (parse, validate) from an outage (store). */
interface RecordFailure {
  stage: "parse" | "validate" | "store";
  reason: string;
}

/**
 * Builds the SQS handler around a store (injected so tests need no AWS). Records are processed
 * concurrently; failures are reported in the order the records arrived, each logged once with its
 * message id and reason (never the body, which carries customer data).
 */
export function makeHandler(store: OrderStore, log: Log = jsonLine): (event: SqsEvent) => Promise<SqsBatchResponse> {
  async function processRecord(record: SqsRecord): Promise<RecordFailure | undefined> {
    let body: unknown;
    try {
      body = JSON.parse(record.body);
    } catch {
      return { stage: "parse", reason: "body is not valid JSON" };
    }
    const result = validateOrder(body);
    if (!result.ok) return { stage: "validate", reason: result.reason };
    try {
      await store.put(result.order);
      return undefined; // "created" and "duplicate" are both success: the order is stored.
    } catch (err) {
      return { stage: "store", reason: `store failed: ${describeError(err)}` };
    }
  }

  return async (event) => {
    const outcomes = await Promise.all(event.Records.map(processRecord));
    const batchItemFailures: SqsBatchResponse["batchItemFailures"] = [];
    outcomes.forEach((failure, index) => {
      if (!failure) return;
      const { messageId } = event.Records[index];
      log({ level: "warn", message: "order record failed", messageId, stage: failure.stage, reason: failure.reason });
      batchItemFailures.push({ itemIdentifier: messageId });
    });
    return { batchItemFailures };
  };
}

function describeError(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}

// ---------------------------------------------------------------------------------------------
// DynamoDB store
// ---------------------------------------------------------------------------------------------

/** Anything that sends SDK v3 commands: a `DynamoDBClient`, or a fake in tests. */
export interface CommandSender {
  send(command: unknown): Promise<unknown>;
}

/** A DynamoDB attribute value, limited to the two types written here. */
type AttributeValue = { S: string } | { N: string };

/** The `PutItem` request fields used here (a subset of `PutItemCommandInput`). */
export interface PutItemInput {
  TableName: string;
  Item: Record<string, AttributeValue>;
  ConditionExpression: string;
}

/** The two exports of `@aws-sdk/client-dynamodb` used here, declared so no SDK types are needed. */
interface DynamoSdk {
  DynamoDBClient: new (config: object) => CommandSender;
  PutItemCommand: new (input: PutItemInput) => unknown;
}

const SDK_MODULE = "@aws-sdk/client-dynamodb";

/** Items expire (DynamoDB TTL on `expiresAt`) this long after they are stored. */
export const RETENTION_DAYS = 400;

/**
 * The SDK if it can be loaded, else undefined. It is part of the Lambda Node.js 20 runtime but
 * not installed in this repository, so it is required on first use rather than imported.
 */
function loadDynamoSdk(): DynamoSdk | undefined {
  try {
    return require(SDK_MODULE) as DynamoSdk;
  } catch (err) {
    const missing = (err as { code?: unknown }).code === "MODULE_NOT_FOUND" && String((err as Error).message).includes(`'${SDK_MODULE}'`);
    if (missing) return undefined;
    throw err;
  }
}

/**
 * An `OrderStore` over a DynamoDB table whose partition key is `orderId`. Each order is written
 * with `PutItem` conditional on the id being new; `ConditionalCheckFailedException` means the
 * order is already stored (a redelivery) and is reported as "duplicate". The first write of an
 * order id wins. Any other error is rethrown, so the record is retried.
 *
 * `client` defaults to a `DynamoDBClient` from the runtime's SDK. Commands are the SDK's
 * `PutItemCommand` whenever the SDK loads; without it (tests with a fake client) they are plain
 * `{ input }` objects with the same `input`.
 */
export function dynamoOrderStore(tableName: string, client?: CommandSender): OrderStore {
  if (tableName === "") throw new Error("dynamoOrderStore: tableName must not be empty");
  const sdk = loadDynamoSdk();
  let dynamo: CommandSender;
  if (client) dynamo = client;
  else if (sdk) dynamo = new sdk.DynamoDBClient({});
  else throw new Error(`dynamoOrderStore: ${SDK_MODULE} cannot be loaded (the Lambda Node.js 20 runtime provides it); pass a client`);
  const putItem = (input: PutItemInput): unknown => (sdk ? new sdk.PutItemCommand(input) : { input });

  return {
    async put(order) {
      const now = new Date();
      const input: PutItemInput = {
        TableName: tableName,
        Item: {
          orderId: { S: order.orderId },
          customerId: { S: order.customerId },
          items: { S: JSON.stringify(order.items) },
          total: { N: String(order.total) },
          currency: { S: order.currency },
          placedAt: { S: order.placedAt },
          storedAt: { S: now.toISOString() },
          expiresAt: { N: String(Math.floor(now.getTime() / 1000) + RETENTION_DAYS * 24 * 60 * 60) },
        },
        ConditionExpression: "attribute_not_exists(orderId)",
      };
      try {
        await dynamo.send(putItem(input));
        return "created";
      } catch (err) {
        if ((err as { name?: unknown } | null)?.name === "ConditionalCheckFailedException") return "duplicate";
        throw err;
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Lambda entry point
// ---------------------------------------------------------------------------------------------

let configured: ((event: SqsEvent) => Promise<SqsBatchResponse>) | undefined;

/**
 * The function's entry point (`handler.handler`): the handler over the table named by
 * `TABLE_ORDERS`. Built on the first invocation (then reused by the warm container), so importing
 * this module needs neither the variable nor the SDK.
 */
export async function handler(event: SqsEvent): Promise<SqsBatchResponse> {
  if (!configured) {
    const tableName = process.env.TABLE_ORDERS ?? "";
    if (tableName === "") {
      throw new Error("TABLE_ORDERS is not set: set it to the name of the orders DynamoDB table in the function's environment");
    }
    configured = makeHandler(dynamoOrderStore(tableName));
  }
  return configured(event);
}
