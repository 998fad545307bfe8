/**
 * `platform:images`: the image pipeline for uploads. A private uploads bucket whose every new
 * object is announced on a queue (bursts absorbed, failures retried, then dead-lettered), and the
 * function that consumes it (a `platform:functions` entry with `access.images`) writing thumbnails
 * where CloudFront serves them (the static bucket, under `thumbnailPrefix`).
 */
import { bool, section, str, v } from "../schema";
import type { Profiles } from "./environments";
import { RESOURCE_NAME } from "./names";

export const imagesSchema = section({
  /** Whether the stack has the pipeline (an uploads bucket and its notifications). */
  enabled: bool(),
  /** The queue upload events go to (a name in `platform:queues`; its consumer makes the thumbnails). */
  queue: str(RESOURCE_NAME, "the name of a queue in platform:queues"),
  /** Thumbnail widths in pixels, each 16-4096, up to 5 (one WebP per width). */
  widths: v.pipe(
    v.array(v.pipe(v.number(), v.integer(), v.minValue(16), v.maxValue(4096)), "must be a list of widths in pixels, 16-4096"),
    v.minLength(1, "must list at least one width"),
    v.maxLength(5, "must list at most 5 widths"),
  ),
  /** Key prefix of the thumbnails in the static bucket (served at `https://<domain>/<prefix>...`). */
  thumbnailPrefix: str(/^[a-z0-9-]+\/$/, "must be one lower-case path segment ending in /, e.g. thumbnails/"),
});
export type ImagesSettings = v.InferOutput<typeof imagesSchema>;

const shared = { enabled: false, queue: "image-uploads", widths: [320, 640, 1280], thumbnailPrefix: "thumbnails/" };
export const IMAGES_DEFAULTS: Profiles<ImagesSettings> = { dev: shared, staging: shared, prod: shared };
