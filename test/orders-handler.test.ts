/** The orders Lambda function: validation, partial-batch failures and the DynamoDB write. */
import { expect } from "chai";
import { dynamoOrderStore, handler, makeHandler, Order, OrderStore, PutItemInput, SqsEvent, SqsRecord, validateOrder } from "../functions/orders/handler";
import { rejectionOf } from "./helpers";

const DAY_SECONDS = 24 * 60 * 60;

function order(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    orderId: "ord-0001",
    customerId: "cust-42",
    items: [
      { sku: "SKU-1", quantity: 2 },
      { sku: "SKU-2", quantity: 1 },
    ],
    total: 59.9,
    currency: "EUR",
    placedAt: "2024-05-01T12:30:00Z",
    ...overrides,
  };
}

/** What `order()` becomes once validated: the known fields only. */
const STORED: Order = {
  orderId: "ord-0001",
  customerId: "cust-42",
  items: [
    { sku: "SKU-1", quantity: 2 },
    { sku: "SKU-2", quantity: 1 },
  ],
  total: 59.9,
  currency: "EUR",
  placedAt: "2024-05-01T12:30:00Z",
};

function record(messageId: string, body: unknown): SqsRecord {
  return { messageId, body: typeof body === "string" ? body : JSON.stringify(body) };
}

function event(...records: SqsRecord[]): SqsEvent {
  return { Records: records };
}

/** An in-memory store that records every write and answers like the DynamoDB store. */
class FakeStore implements OrderStore {
  readonly stored: Order[] = [];
  /** Order ids whose write throws. */
  readonly failing = new Set<string>();

  async put(o: Order): Promise<"created" | "duplicate"> {
    if (this.failing.has(o.orderId)) throw new Error("ProvisionedThroughputExceededException");
    if (this.stored.some((s) => s.orderId === o.orderId)) return "duplicate";
    this.stored.push(o);
    return "created";
  }
}

/** A handler over a fake store, with its log lines captured. */
function setup(store: OrderStore = new FakeStore()) {
  const logs: Record<string, unknown>[] = [];
  const run = makeHandler(store, (entry) => logs.push(entry as Record<string, unknown>));
  return { run, logs };
}

describe("orders function: validateOrder", () => {
  it("accepts a valid order and keeps only the known fields", () => {
    const result = validateOrder(order({ coupon: "SPRING", items: [{ sku: "SKU-1", quantity: 3, note: "gift" }] }));
    expect(result).to.deep.equal({
      ok: true,
      order: {
        orderId: "ord-0001",
        customerId: "cust-42",
        items: [{ sku: "SKU-1", quantity: 3 }],
        total: 59.9,
        currency: "EUR",
        placedAt: "2024-05-01T12:30:00Z",
      },
    });
  });

  it("accepts boundary values", () => {
    const ok = [
      order({ orderId: "a" }),
      order({ orderId: "A_b-9".padEnd(64, "x") }),
      order({ total: 0 }),
      order({ items: Array.from({ length: 100 }, (_, i) => ({ sku: `S${i}`, quantity: 1 })) }),
      order({ placedAt: "2024-02-29T23:59:59.123+05:30" }),
      order({ placedAt: "2024-05-01T12:30:00.123456-08:00" }),
    ];
    for (const body of ok) expect(validateOrder(body).ok, JSON.stringify(body).slice(0, 80)).to.equal(true);
  });

  it("rejects each broken field with a reason naming it", () => {
    const cases: [Record<string, unknown> | unknown, string][] = [
      [null, "order must be a JSON object"],
      [[order()], "order must be a JSON object"],
      ["ord-0001", "order must be a JSON object"],
      [order({ orderId: undefined }), "orderId"],
      [order({ orderId: "" }), "orderId"],
      [order({ orderId: "x".repeat(65) }), "orderId"],
      [order({ orderId: "ord 1" }), "orderId"],
      [order({ orderId: 17 }), "orderId"],
      [order({ customerId: undefined }), "customerId"],
      [order({ customerId: "" }), "customerId"],
      [order({ items: [] }), "items"],
      [order({ items: "SKU-1" }), "items"],
      [order({ items: Array.from({ length: 101 }, () => ({ sku: "S", quantity: 1 })) }), "items"],
      [order({ items: [{ sku: "SKU-1", quantity: 1 }, 7] }), "items[1]"],
      [order({ items: [{ sku: "", quantity: 1 }] }), "items[0].sku"],
      [order({ items: [{ quantity: 1 }] }), "items[0].sku"],
      [order({ items: [{ sku: "SKU-1", quantity: 0 }] }), "items[0].quantity"],
      [order({ items: [{ sku: "SKU-1", quantity: 1.5 }] }), "items[0].quantity"],
      [order({ items: [{ sku: "SKU-1", quantity: "2" }] }), "items[0].quantity"],
      [order({ total: -0.01 }), "total"],
      [order({ total: "59.90" }), "total"],
      [order({ total: Infinity }), "total"],
      [order({ total: NaN }), "total"],
      [order({ currency: "eur" }), "currency"],
      [order({ currency: "EURO" }), "currency"],
      [order({ currency: undefined }), "currency"],
      [order({ placedAt: "2024-05-01" }), "placedAt"],
      [order({ placedAt: "2024-05-01T12:30:00" }), "placedAt"],
      [order({ placedAt: "yesterday" }), "placedAt"],
      [order({ placedAt: "2024-02-30T12:00:00Z" }), "placedAt"],
      [order({ placedAt: "2023-02-29T12:00:00Z" }), "placedAt"],
      [order({ placedAt: "2024-13-01T12:00:00Z" }), "placedAt"],
      [order({ placedAt: "2024-05-01T24:00:00Z" }), "placedAt"],
      [order({ placedAt: "2024-05-01T12:60:00Z" }), "placedAt"],
      [order({ placedAt: "2024-05-01T12:30:00+25:00" }), "placedAt"],
      [order({ placedAt: 1714566600000 }), "placedAt"],
    ];
    for (const [body, field] of cases) {
      const result = validateOrder(body);
      const label = JSON.stringify(body)?.slice(0, 120);
      expect(result.ok, label).to.equal(false);
      if (!result.ok) expect(result.reason, label).to.satisfy((r: string) => r.startsWith(field));
    }
  });
});

describe("orders function: handler", () => {
  it("stores a good message and reports no failure", async () => {
    const store = new FakeStore();
    const { run, logs } = setup(store);
    const response = await run(event(record("m-1", order({ extra: "dropped" }))));
    expect(response).to.deep.equal({ batchItemFailures: [] });
    expect(store.stored).to.deep.equal([STORED]);
    expect(logs).to.deep.equal([]);
  });

  const poison: [string, string, string][] = [
    ["malformed JSON", '{"orderId": "ord-0001",', "parse"],
    ["a missing field", JSON.stringify(order({ customerId: undefined })), "validate"],
    ["quantity 0", JSON.stringify(order({ items: [{ sku: "SKU-1", quantity: 0 }] })), "validate"],
    ["a bad currency", JSON.stringify(order({ currency: "eu" })), "validate"],
    ["a bad timestamp", JSON.stringify(order({ placedAt: "01/05/2024 12:30" })), "validate"],
  ];
  for (const [what, body, stage] of poison) {
    it(`reports ${what} as a batch item failure, stores nothing and logs the reason`, async () => {
      const store = new FakeStore();
      const { run, logs } = setup(store);
      const response = await run(event(record("poison-1", body)));
      expect(response).to.deep.equal({ batchItemFailures: [{ itemIdentifier: "poison-1" }] });
      expect(store.stored).to.deep.equal([]);
      expect(logs).to.have.length(1);
      expect(logs[0]).to.include({ messageId: "poison-1", stage });
      expect(logs[0].reason).to.be.a("string").and.not.equal("");
    });
  }

  it("reports a record whose write throws, so SQS retries it", async () => {
    const store = new FakeStore();
    store.failing.add("ord-0001");
    const { run, logs } = setup(store);
    const response = await run(event(record("m-1", order())));
    expect(response.batchItemFailures).to.deep.equal([{ itemIdentifier: "m-1" }]);
    expect(logs).to.have.length(1);
    expect(logs[0]).to.include({ messageId: "m-1", stage: "store" });
    expect(logs[0].reason).to.contain("ProvisionedThroughputExceededException");
  });

  it("treats a duplicate (a redelivered order) as success", async () => {
    const store: OrderStore = { put: async () => "duplicate" };
    const { run, logs } = setup(store);
    const response = await run(event(record("m-1", order())));
    expect(response.batchItemFailures).to.deep.equal([]);
    expect(logs).to.deep.equal([]);
  });

  it("reports exactly the bad records of a mixed batch, in input order, and stores exactly the good ones", async () => {
    const store = new FakeStore();
    store.failing.add("ord-broken-store");
    const { run, logs } = setup(store);
    const response = await run(
      event(
        record("bad-json", "not json"),
        record("good-1", order({ orderId: "ord-1" })),
        record("bad-store", order({ orderId: "ord-broken-store" })),
        record("good-2", order({ orderId: "ord-2" })),
        record("bad-qty", order({ orderId: "ord-3", items: [{ sku: "S", quantity: 0 }] })),
        record("dup", order({ orderId: "ord-1" })),
        record("bad-currency", order({ orderId: "ord-4", currency: "Eur" })),
      ),
    );
    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).to.deep.equal(["bad-json", "bad-store", "bad-qty", "bad-currency"]);
    expect(store.stored.map((o) => o.orderId)).to.deep.equal(["ord-1", "ord-2"]);
    expect(logs.map((l) => l.messageId)).to.deep.equal(["bad-json", "bad-store", "bad-qty", "bad-currency"]);
  });

  it("reports failures in input order even when later records finish first", async () => {
    // The first record's write is the slowest and fails; the second fails at once.
    const store: OrderStore = {
      put: (o) =>
        new Promise((resolve, reject) => {
          if (o.orderId === "slow") setTimeout(() => reject(new Error("timeout")), 20);
          else if (o.orderId === "fast") reject(new Error("throttled"));
          else resolve("created");
        }),
    };
    const { run } = setup(store);
    const response = await run(
      event(record("m-slow", order({ orderId: "slow" })), record("m-ok", order({ orderId: "ok" })), record("m-fast", order({ orderId: "fast" }))),
    );
    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).to.deep.equal(["m-slow", "m-fast"]);
  });

  it("writes the records of a batch concurrently", async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const store: OrderStore = {
      put: async () => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((r) => setTimeout(r, 5));
        inFlight -= 1;
        return "created";
      },
    };
    const { run } = setup(store);
    await run(event(...["a", "b", "c"].map((id) => record(`m-${id}`, order({ orderId: id })))));
    expect(maxInFlight).to.equal(3);
  });

  it("never logs the message body", async () => {
    const { run, logs } = setup();
    const secret = "cust-secret-address-42";
    await run(event(record("m-1", order({ customerId: secret, currency: "xx" })), record("m-2", `{"customerId":"${secret}"`)));
    expect(logs).to.have.length(2);
    for (const entry of logs) expect(JSON.stringify(entry)).to.not.contain(secret);
  });

  it("logs one JSON line per failure by default", async () => {
    const lines: string[] = [];
    const original = console.log;
    console.log = (...args: unknown[]) => void lines.push(args.map(String).join(" "));
    try {
      await makeHandler(new FakeStore())(event(record("m-1", "{"), record("m-2", order()), record("m-3", order({ total: -1 }))));
    } finally {
      console.log = original;
    }
    expect(lines).to.have.length(2);
    expect(lines.map((l) => JSON.parse(l).messageId)).to.deep.equal(["m-1", "m-3"]);
  });

  it("returns no failures for an empty batch", async () => {
    const { run } = setup();
    expect(await run(event())).to.deep.equal({ batchItemFailures: [] });
  });
});

describe("orders function: entry point", () => {
  it("fails clearly when TABLE_ORDERS is not set, and is importable without it", async () => {
    const saved = process.env.TABLE_ORDERS;
    delete process.env.TABLE_ORDERS;
    try {
      const error = await rejectionOf(handler(event(record("m-1", order()))));
      expect(error).to.be.instanceOf(Error);
      expect((error as Error).message).to.contain("TABLE_ORDERS");
    } finally {
      if (saved === undefined) delete process.env.TABLE_ORDERS;
      else process.env.TABLE_ORDERS = saved;
    }
  });
});

describe("orders function: dynamoOrderStore", () => {
  /** A fake DynamoDB client: records the `input` of every command and answers with `respond`. */
  function fakeClient(respond: (input: PutItemInput) => unknown = () => ({})) {
    const sent: PutItemInput[] = [];
    const client = {
      async send(command: unknown): Promise<unknown> {
        const input = (command as { input: PutItemInput }).input;
        sent.push(input);
        const answer = respond(input);
        if (answer instanceof Error) throw answer;
        return answer;
      },
    };
    return { client, sent };
  }

  function named(name: string, message = name): Error {
    const err = new Error(message);
    err.name = name;
    return err;
  }

  const good = STORED;

  it("writes a conditional PutItem with typed attributes and a 400-day TTL", async () => {
    const { client, sent } = fakeClient();
    const store = dynamoOrderStore("orders-dev", client);
    const before = Date.now();
    expect(await store.put(good)).to.equal("created");
    const after = Date.now();

    expect(sent).to.have.length(1);
    const input = sent[0];
    expect(input.TableName).to.equal("orders-dev");
    expect(input.ConditionExpression).to.equal("attribute_not_exists(orderId)");
    const item = input.Item as Record<string, Record<string, string>>;
    expect(Object.keys(item).sort()).to.deep.equal(["currency", "customerId", "expiresAt", "items", "orderId", "placedAt", "storedAt", "total"]);
    expect(item.orderId).to.deep.equal({ S: "ord-0001" });
    expect(item.customerId).to.deep.equal({ S: "cust-42" });
    expect(Object.keys(item.items)).to.deep.equal(["S"]);
    expect(JSON.parse(item.items.S)).to.deep.equal(good.items);
    expect(item.total).to.deep.equal({ N: "59.9" });
    expect(item.currency).to.deep.equal({ S: "EUR" });
    expect(item.placedAt).to.deep.equal({ S: "2024-05-01T12:30:00Z" });

    expect(Object.keys(item.storedAt)).to.deep.equal(["S"]);
    const storedAt = Date.parse(item.storedAt.S);
    expect(new Date(storedAt).toISOString()).to.equal(item.storedAt.S);
    expect(storedAt).to.be.within(before, after);

    expect(Object.keys(item.expiresAt)).to.deep.equal(["N"]);
    const expiresAt = Number(item.expiresAt.N);
    expect(Number.isInteger(expiresAt)).to.equal(true);
    expect(expiresAt).to.equal(Math.floor(storedAt / 1000) + 400 * DAY_SECONDS);
    expect(expiresAt).to.be.within(Math.floor(before / 1000) + 400 * DAY_SECONDS - 1, Math.ceil(after / 1000) + 400 * DAY_SECONDS);
  });

  it("maps ConditionalCheckFailedException to duplicate", async () => {
    const { client } = fakeClient(() => named("ConditionalCheckFailedException", "The conditional request failed"));
    expect(await dynamoOrderStore("orders-dev", client).put(good)).to.equal("duplicate");
  });

  it("rethrows every other error", async () => {
    const throttled = named("ProvisionedThroughputExceededException");
    const { client } = fakeClient(() => throttled);
    expect(await rejectionOf(dynamoOrderStore("orders-dev", client).put(good))).to.equal(throttled);
  });

  it("end to end: a redelivered order is written once and not reported", async () => {
    const table = new Map<string, PutItemInput["Item"]>();
    const { client, sent } = fakeClient((input) => {
      const id = (input.Item.orderId as { S: string }).S;
      if (table.has(id)) return named("ConditionalCheckFailedException");
      table.set(id, input.Item);
      return {};
    });
    const { run } = setup(dynamoOrderStore("orders-dev", client));
    const response = await run(event(record("m-1", order()), record("m-2", "{oops")));
    const redelivery = await run(event(record("m-1", order())));
    expect(response.batchItemFailures).to.deep.equal([{ itemIdentifier: "m-2" }]);
    expect(redelivery.batchItemFailures).to.deep.equal([]);
    expect(sent).to.have.length(2);
    expect([...table.keys()]).to.deep.equal(["ord-0001"]);
  });

  it("refuses an empty table name", () => {
    expect(() => dynamoOrderStore("", fakeClient().client)).to.throw(/tableName/);
  });
});
