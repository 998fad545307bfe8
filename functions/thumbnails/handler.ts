/**
 * Thumbnails consumer: an AWS Lambda function (Node.js 22, x86_64) behind an SQS event source
 * mapping with `ReportBatchItemFailures`. Each message is an S3 event notification of the uploads
 * bucket; for each created image it writes one WebP per configured width to the bucket CloudFront
 * serves, under the thumbnail prefix: `<prefix><key without extension>-<width>.webp`.
 *
 * Failure model: a record that cannot be parsed, names an object that cannot be read or decoded
 * as an image, or whose thumbnails cannot be written is reported in `batchItemFailures`, so SQS
 * retries it and, after the queue's `maxReceiveCount`, moves it to the dead-letter queue (alarmed).
 * Writing the same thumbnails twice is harmless, so redelivery is safe. S3's `s3:TestEvent` message,
 * sent once when the notification is set up, is acknowledged and ignored.
 *
 * Images are decoded and encoded with sharp (libvips), a native package shipped in the function's
 * archive for its architecture; `@aws-sdk/client-s3` ships with the Lambda runtime and is loaded
 * on first use, so tests can import this module without it.
 */
import type { SqsBatchResponse, SqsEvent, SqsRecord } from "../orders/handler";

/** What the handler needs from S3, injected so tests need no AWS. */
export interface ObjectStore {
  get(bucket: string, key: string): Promise<Buffer>;
  put(bucket: string, key: string, body: Buffer, contentType: string): Promise<void>;
}

/** Resizes one image to a width (keeping its aspect ratio, never enlarging), as WebP. */
export type Resize = (image: Buffer, width: number) => Promise<Buffer>;

export interface ThumbnailConfig {
  bucket: string;
  prefix: string;
  widths: number[];
}

/** The largest upload decoded (larger ones are refused rather than risk the function's memory). */
export const MAX_INPUT_PIXELS = 50_000_000;

/** One created object of an S3 event notification. */
export interface CreatedObject {
  bucket: string;
  key: string;
}

/** The objects an S3 notification body announces; an empty list for S3's test event; throws on anything else. */
export function createdObjects(body: string): CreatedObject[] {
  const message = JSON.parse(body) as { Event?: string; Records?: { eventName?: string; s3?: { bucket?: { name?: string }; object?: { key?: string } } }[] };
  if (message.Event === "s3:TestEvent") return [];
  if (!Array.isArray(message.Records)) throw new Error("not an S3 event notification");
  return message.Records.filter((r) => String(r.eventName).startsWith("ObjectCreated:")).map((r) => {
    const bucket = r.s3?.bucket?.name;
    const key = r.s3?.object?.key;
    if (!bucket || !key) throw new Error("S3 record without bucket or key");
    // S3 URL-encodes keys in notifications, with + for spaces.
    return { bucket, key: decodeURIComponent(key.replace(/\+/g, " ")) };
  });
}

/** Where each width's thumbnail of an upload goes. */
export function thumbnailKeys(key: string, config: Pick<ThumbnailConfig, "prefix" | "widths">): { width: number; key: string }[] {
  const stem = key.replace(/\.[^./]+$/, "");
  return config.widths.map((width) => ({ width, key: `${config.prefix}${stem}-${width}.webp` }));
}

/** The handler around its store and resizer. */
export function makeHandler(store: ObjectStore, resize: Resize, config: ThumbnailConfig, log: (entry: object) => void = (e) => console.log(JSON.stringify(e))) {
  async function processRecord(record: SqsRecord): Promise<string | undefined> {
    try {
      for (const upload of createdObjects(record.body)) {
        const image = await store.get(upload.bucket, upload.key);
        for (const thumb of thumbnailKeys(upload.key, config)) await store.put(config.bucket, thumb.key, await resize(image, thumb.width), "image/webp");
      }
      return undefined;
    } catch (err) {
      return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    }
  }
  return async (event: SqsEvent): Promise<SqsBatchResponse> => {
    const outcomes = await Promise.all(event.Records.map(processRecord));
    const batchItemFailures: SqsBatchResponse["batchItemFailures"] = [];
    outcomes.forEach((reason, i) => {
      if (reason === undefined) return;
      log({ level: "warn", message: "thumbnail record failed", messageId: event.Records[i].messageId, reason });
      batchItemFailures.push({ itemIdentifier: event.Records[i].messageId });
    });
    return { batchItemFailures };
  };
}

/** sharp's resize to WebP: EXIF orientation applied, at most `width` wide, never enlarged. */
export const sharpResize: Resize = async (image, width) => {
  const sharp = require("sharp") as (input: Buffer, options: object) => any;
  return sharp(image, { limitInputPixels: MAX_INPUT_PIXELS }).rotate().resize({ width, withoutEnlargement: true }).webp({ quality: 80 }).toBuffer();
};

/** An `ObjectStore` over S3 (SDK v3 from the Lambda runtime). */
export function s3Store(): ObjectStore {
  const sdk = require("@aws-sdk/client-s3") as any;
  const client = new sdk.S3Client({});
  return {
    async get(bucket, key) {
      const out = await client.send(new sdk.GetObjectCommand({ Bucket: bucket, Key: key }));
      return Buffer.from(await out.Body.transformToByteArray());
    },
    async put(bucket, key, body, contentType) {
      await client.send(
        new sdk.PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType, CacheControl: "public, max-age=31536000, immutable" }),
      );
    },
  };
}

/** The configuration from the environment the platform sets (`access.images`). */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ThumbnailConfig {
  const bucket = env.THUMBNAIL_BUCKET;
  const prefix = env.THUMBNAIL_PREFIX ?? "thumbnails/";
  const widths = String(env.THUMBNAIL_WIDTHS ?? "")
    .split(",")
    .filter(Boolean)
    .map(Number);
  if (!bucket || widths.length === 0 || widths.some((w) => !Number.isInteger(w) || w < 1)) throw new Error("THUMBNAIL_BUCKET and THUMBNAIL_WIDTHS must be set");
  return { bucket, prefix, widths };
}

let cached: ((event: SqsEvent) => Promise<SqsBatchResponse>) | undefined;

/** The Lambda entry point. */
export async function handler(event: SqsEvent): Promise<SqsBatchResponse> {
  cached ??= makeHandler(s3Store(), sharpResize, configFromEnv());
  return cached(event);
}
