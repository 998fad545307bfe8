/**
 * The image pipeline: the thumbnail handler on real images the test makes (sharp), the packaged
 * artifact for the function's architecture (its native build inside, and the archive itself
 * working when unpacked), and the wiring of every shipped stack that has the pipeline.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { expect } from "chai";
import sharp from "sharp";
import { imageStatements } from "../components/image-pipeline";
import { NPM_CPU, packageClosure, packageFiles, transpileFolder } from "../components/function-package";
import { FUNCTIONS_ROOT } from "../components/queue-function";
import { createdObjects, makeHandler, ObjectStore, sharpResize, thumbnailKeys } from "../functions/thumbnails/handler";
import { SynthResult } from "../tools/harness";
import { editJson, expectProblem } from "./config-helpers";
import { ofType, one, settingsOf, STACKS, synth, T } from "./helpers";

/** A real JPEG the test makes: `width` x `height`, a gradient so the encoder has something to do. */
async function jpeg(width: number, height: number): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < width * height; i++) pixels.set([(i * 7) % 256, (i * 3) % 256, (i * 11) % 256], i * 3);
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg()
    .toBuffer();
}

/** An in-memory S3. */
function memoryStore(objects: Record<string, Buffer>): ObjectStore & { written: Record<string, { body: Buffer; contentType: string }> } {
  const written: Record<string, { body: Buffer; contentType: string }> = {};
  return {
    written,
    async get(bucket, key) {
      const found = objects[`${bucket}/${key}`];
      if (!found) throw Object.assign(new Error(`NoSuchKey: ${key}`), { name: "NoSuchKey" });
      return found;
    },
    async put(bucket, key, body, contentType) {
      written[`${bucket}/${key}`] = { body, contentType };
    },
  };
}

const notification = (bucket: string, key: string) =>
  JSON.stringify({
    Records: [{ eventName: "ObjectCreated:Put", s3: { bucket: { name: bucket }, object: { key: encodeURIComponent(key).replace(/%20/g, "+") } } }],
  });
const config = { bucket: "static", prefix: "thumbnails/", widths: [320, 640] };
const silent = () => undefined;

describe("thumbnails: the handler on real images", () => {
  it("reads the S3 notification, decoding keys, and ignores S3's test event", () => {
    expect(createdObjects(notification("uploads", "products/red shoe.jpg"))).to.deep.equal([{ bucket: "uploads", key: "products/red shoe.jpg" }]);
    expect(createdObjects(JSON.stringify({ Service: "Amazon S3", Event: "s3:TestEvent" }))).to.deep.equal([]);
    expect(() => createdObjects(JSON.stringify({ hello: 1 }))).to.throw("not an S3 event notification");
    expect(thumbnailKeys("products/red shoe.jpg", config)).to.deep.equal([
      { width: 320, key: "thumbnails/products/red shoe-320.webp" },
      { width: 640, key: "thumbnails/products/red shoe-640.webp" },
    ]);
  });

  it("writes one WebP per width, the aspect ratio kept, never enlarged", async () => {
    const store = memoryStore({ "uploads/products/shoe.jpg": await jpeg(1000, 500), "uploads/small.jpg": await jpeg(200, 100) });
    const handle = makeHandler(store, sharpResize, config, silent);
    const result = await handle({
      Records: [
        { messageId: "1", body: notification("uploads", "products/shoe.jpg") },
        { messageId: "2", body: notification("uploads", "small.jpg") },
      ],
    });
    expect(result.batchItemFailures).to.deep.equal([]);
    for (const [key, width, height] of [
      ["static/thumbnails/products/shoe-320.webp", 320, 160],
      ["static/thumbnails/products/shoe-640.webp", 640, 320],
      ["static/thumbnails/small-320.webp", 200, 100],
    ] as const) {
      const out = store.written[key];
      expect(out, key).to.not.equal(undefined);
      expect(out.contentType).to.equal("image/webp");
      const meta = await sharp(out.body).metadata();
      expect([meta.format, meta.width, meta.height], key).to.deep.equal(["webp", width, height]);
    }
  });

  it("reports exactly the records it could not process: not JSON, a missing object, not an image", async () => {
    const store = memoryStore({ "uploads/ok.jpg": await jpeg(400, 400), "uploads/notes.txt": Buffer.from("not an image") });
    const handle = makeHandler(store, sharpResize, config, silent);
    const result = await handle({
      Records: [
        { messageId: "ok", body: notification("uploads", "ok.jpg") },
        { messageId: "garbage", body: "{" },
        { messageId: "missing", body: notification("uploads", "gone.jpg") },
        { messageId: "text", body: notification("uploads", "notes.txt") },
      ],
    });
    expect(result.batchItemFailures.map((f) => f.itemIdentifier)).to.deep.equal(["garbage", "missing", "text"]);
    expect(Object.keys(store.written)).to.have.length(2);
  });
});

describe("thumbnails: the packaged artifact", function () {
  this.timeout(60_000);
  const settings = settingsOf("prod");
  const fn = settings.functions.find((f) => f.access.images);

  it("ships sharp with its native build for the function's architecture, and refuses one that is not installed", () => {
    expect(fn, "prod has a function with access.images").to.not.equal(undefined);
    const cpu = NPM_CPU[fn!.architecture];
    const names = packageClosure(fn!.packages, fn!.architecture).map((p) => p.name);
    expect(names).to.include.members(["sharp", `@img/sharp-linux-${cpu}`, `@img/sharp-libvips-linux-${cpu}`]);
    const files = Object.keys(packageFiles(fn!.packages, fn!.architecture));
    expect(files.some((f) => f.startsWith(`node_modules/@img/sharp-linux-${cpu}/lib/`) && f.endsWith(".node"))).to.equal(true);
    expect(files.some((f) => f.startsWith("node_modules/@img/sharp-darwin"))).to.equal(false);
    const other = fn!.architecture === "x86_64" ? "arm64" : "x86_64";
    expect(() => packageClosure(fn!.packages, other)).to.throw(`needs its native build for Lambda's linux-${NPM_CPU[other]}`);
  });

  it("is refused as config, naming the key, when the native build for the function's architecture is not installed", () => {
    const other = fn!.architecture === "x86_64" ? "arm64" : "x86_64";
    let at = -1;
    const problem = expectProblem(
      "prod",
      (config) => {
        editJson(config, "platform:queues", (queues: any[]) => {
          queues.push({ name: "image-uploads" });
        });
        editJson(config, "platform:functions", (fns: any[]) => {
          at = fns.push({ name: "thumbnails", queue: "image-uploads", architecture: other, packages: fn!.packages }) - 1;
        });
      },
      "platform:functions[1].packages",
      fn!.packages,
    );
    expect(at).to.equal(1);
    expect(problem.allowed).to.contain(`must be installed for Lambda's ${other}`).and.contain(`npm install --no-save --os=linux --cpu=${NPM_CPU[other]}`);
  });

  it("works unpacked: the archive's handler makes thumbnails with the archive's own sharp", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "thumbnails-artifact-"));
    try {
      for (const [name, js] of Object.entries(await transpileFolder(path.join(FUNCTIONS_ROOT, fn!.name)))) fs.writeFileSync(path.join(dir, name), js);
      for (const [name, file] of Object.entries(packageFiles(fn!.packages, fn!.architecture))) {
        fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
        fs.copyFileSync(file, path.join(dir, name));
      }
      const artifact = require(path.join(dir, "handler.js"));
      expect(require.resolve("sharp", { paths: [dir] }).startsWith(dir), "the archive's sharp, not the repository's").to.equal(true);
      const store = memoryStore({ "uploads/a.jpg": await jpeg(800, 600) });
      const result = await artifact.makeHandler(
        store,
        artifact.sharpResize,
        config,
        silent,
      )({ Records: [{ messageId: "1", body: notification("uploads", "a.jpg") }] });
      expect(result.batchItemFailures).to.deep.equal([]);
      expect((await sharp(store.written["static/thumbnails/a-320.webp"].body).metadata()).width).to.equal(320);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

for (const stack of STACKS) {
  const settings = settingsOf(stack);
  if (!settings.images.enabled) continue;
  describe(`image pipeline (${stack})`, () => {
    let result: SynthResult;
    before(async () => {
      result = await synth(stack);
    });

    it("announces every object created in the private uploads bucket on its queue, which admits only that bucket", () => {
      const uploads = one(result, T.bucket, "images-uploads");
      const notification = one(result, "aws:s3/bucketNotification:BucketNotification", "images-uploads").inputs;
      const queue = one(result, T.queue, `queue-${settings.images.queue}`);
      expect(notification.bucket).to.equal(uploads.id);
      expect(notification.queues).to.deep.equal([{ queueArn: queue.state.arn, events: ["s3:ObjectCreated:*"] }]);
      const policy = JSON.parse(one(result, "aws:sqs/queuePolicy:QueuePolicy", `queue-${settings.images.queue}`).inputs.policy);
      const s3 = policy.Statement.find((st: any) => st.Sid === "UploadsBucketNotifies");
      expect(s3.Condition).to.deep.equal({ ArnLike: { "aws:SourceArn": uploads.state.arn }, StringEquals: { "aws:SourceAccount": "123456789012" } });
      expect(one(result, T.publicAccessBlock, "images-uploads").inputs).to.include({ blockPublicAcls: true, restrictPublicBuckets: true });
    });

    it("lets the consuming function read uploads and write thumbnails under the prefix of the bucket CloudFront serves, and nothing else of S3", () => {
      for (const f of settings.functions.filter((x) => x.access.images)) {
        const statements = JSON.parse(one(result, T.rolePolicy, `fn-${f.name}-role`).inputs.policy).Statement;
        const s3 = statements.filter((st: any) => [st.Action].flat().some((a: string) => a.startsWith("s3:")));
        expect(s3).to.deep.equal(
          imageStatements(one(result, T.bucket, "images-uploads").state.arn, one(result, T.bucket, "edge-static").state.arn, settings.images.thumbnailPrefix),
        );
        const fn = one(result, "aws:lambda/function:Function", `fn-${f.name}`).inputs;
        expect(fn.architectures).to.deep.equal([f.architecture]);
        expect(fn.environment.variables).to.include({ THUMBNAIL_PREFIX: settings.images.thumbnailPrefix, THUMBNAIL_WIDTHS: settings.images.widths.join(",") });
      }
      expect(ofType(result, "aws:s3/bucketNotification:BucketNotification")).to.have.length(1);
    });
  });
}
