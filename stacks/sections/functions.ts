/** `platform:functions`: Lambda functions that consume a queue. */
import { AWS_RANGES } from "../aws-limits";
import { bool, int, mapOf, nameList, oneOf, section, str, v } from "../schema";
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
  /** Tables and queues it may use besides the queue it consumes, and the image pipeline's buckets. */
  access: v.optional(
    section({
      tables: v.optional(tableGrants, {}),
      queues: v.optional(mapOf(oneOf(["send"] as const), "must be a map of queue name to send"), {}),
      /** Read the uploads and write thumbnails (`platform:images`). */
      images: v.optional(bool(), false),
    }),
    {},
  ),
  /** Processor architecture: `arm64` (cheaper) or `x86_64`; a native package must be installed for it. */
  architecture: oneOf(["arm64", "x86_64"] as const),
  /** npm packages the handler imports, shipped in its archive with their dependencies (native ones for its architecture). */
  packages: v.optional(nameList(/^(@[a-z0-9-]+\/)?[a-z0-9][a-z0-9._-]*$/, 10, "must be a list of up to 10 installed npm package names"), []),
});
export type FunctionSettings = v.InferOutput<typeof functionSchema>;

export const FUNCTION_DEFAULTS: Profiles<Omit<FunctionSettings, "name" | "queue" | "access" | "packages">> = {
  dev: { timeoutSeconds: 30, memoryMb: 256, reservedConcurrency: 2, batchSize: 10, maxBatchingWindowSeconds: 0, architecture: "arm64" },
  staging: { timeoutSeconds: 30, memoryMb: 256, reservedConcurrency: 5, batchSize: 10, maxBatchingWindowSeconds: 1, architecture: "arm64" },
  prod: { timeoutSeconds: 30, memoryMb: 512, reservedConcurrency: 20, batchSize: 10, maxBatchingWindowSeconds: 1, architecture: "arm64" },
};
