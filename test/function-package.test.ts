/** Packaging a TypeScript function folder as a Lambda code archive. */
import { expect } from "chai";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { packageFunction, transpileFolder } from "../components/function-package";
import { rejectionOf } from "./helpers";

const ORDERS_DIR = path.join(__dirname, "..", "functions", "orders");

describe("function packaging", () => {
  const tempDirs: string[] = [];

  function tempFolder(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "function-package-"));
    tempDirs.push(dir);
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    return dir;
  }

  after(() => {
    for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("transpiles functions/orders to exactly handler.js, which loads as CommonJS and works", async () => {
    const files = await transpileFolder(ORDERS_DIR);
    expect(Object.keys(files)).to.deep.equal(["handler.js"]);
    const js = files["handler.js"];
    expect(js).to.match(/^"use strict";/);
    expect(js).to.not.match(/:\s*SqsEvent\b/); // types are gone

    // Load the emitted JavaScript by itself, the way the Lambda runtime would.
    const dir = tempFolder({ "handler.js": js });
    const mod = require(path.join(dir, "handler.js"));
    expect(mod.handler).to.be.a("function");
    expect(mod.makeHandler).to.be.a("function");
    expect(mod.validateOrder).to.be.a("function");
    expect(mod.dynamoOrderStore).to.be.a("function");

    const stored: unknown[] = [];
    const run = mod.makeHandler({ put: async (o: unknown) => (stored.push(o), "created") }, () => undefined);
    const body = JSON.stringify({
      orderId: "ord-1",
      customerId: "c-1",
      items: [{ sku: "S", quantity: 1 }],
      total: 1,
      currency: "USD",
      placedAt: "2024-05-01T00:00:00Z",
    });
    const response = await run({
      Records: [
        { messageId: "m-1", body },
        { messageId: "m-2", body: "{" },
      ],
    });
    expect(response).to.deep.equal({ batchItemFailures: [{ itemIdentifier: "m-2" }] });
    expect(stored).to.have.length(1);
  });

  it("skips tests and declaration files, and sorts by name", async () => {
    const dir = tempFolder({
      "b.ts": "export const b: number = 2;\n",
      "a.ts": "import { b } from './b';\nexport const a = b + 1;\n",
      "a.test.ts": "export {};\n",
      "a.spec.ts": "export {};\n",
      "types.d.ts": "export type T = string;\n",
      "notes.md": "# not code\n",
    });
    fs.mkdirSync(path.join(dir, "nested.ts"));
    const files = await transpileFolder(dir);
    expect(Object.keys(files)).to.deep.equal(["a.js", "b.js"]);
    expect(files["b.js"]).to.match(/b = 2/);
    expect(files["a.js"]).to.contain('require("./b")');
  });

  it("rejects naming the file and the diagnostic on a syntax error", async () => {
    const dir = tempFolder({ "good.ts": "export const ok = 1;\n", "broken.ts": "export const x = ;\n" });
    const err = (await rejectionOf(transpileFolder(dir))) as Error;
    expect(err.message).to.match(/broken\.ts:1:\d+: Unexpected ";"/);
    expect(err.message).to.not.contain("good.ts");
  });

  it("throws at once on a folder without TypeScript sources", () => {
    const empty = tempFolder({});
    expect(() => transpileFolder(empty)).to.throw(/no TypeScript sources/);
    const onlyTests = tempFolder({ "x.test.ts": "export {};\n", "x.d.ts": "export {};\n" });
    expect(() => transpileFolder(onlyTests)).to.throw(/no TypeScript sources/);
  });

  it("wraps the JavaScript as string assets in an asset archive", async () => {
    const archive = packageFunction(ORDERS_DIR);
    expect(archive).to.be.instanceOf(pulumi.asset.AssetArchive);
    const assets = await archive.assets;
    expect(Object.keys(assets)).to.deep.equal(["handler.js"]);
    const asset = assets["handler.js"];
    expect(asset).to.be.instanceOf(pulumi.asset.StringAsset);
    expect(await (asset as pulumi.asset.StringAsset).text).to.equal((await transpileFolder(ORDERS_DIR))["handler.js"]);
  });
});
