import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { ThreadedProducer } from "./threaded_producer.ts";
import type { HealthReporter } from "../../domain/health_reporter.ts";

// Nothing listens on port 1: Kafka is unreachable for as long as the test runs.
const UNREACHABLE = { brokers: ["127.0.0.1:1"] };
const HEADERS = new Map([[Buffer.from("k"), Buffer.from("v")]]);

const message = (topic: string, key: string) => ({
  topic,
  key,
  value: `{"k":"${key}"}`,
  partition: 0,
  headers: HEADERS,
});

Deno.test("ThreadedProducer: an unreachable Kafka fails the batch after the grace, with the thread's error and health", async () => {
  const events: string[] = [];
  const health: HealthReporter = {
    up: (c) => events.push(`up ${c}`),
    down: (c, error) => events.push(`down ${c} ${error instanceof Error}`),
    restarted: (c) => events.push(`restarted ${c}`),
  };
  const producer = new ThreadedProducer({
    kafka: UNREACHABLE,
    clientId: "p",
    graceMs: 600,
    health,
  });
  try {
    const started = Date.now();
    await assert.rejects(producer.send([message("t", "a"), message("t", "b")]), Error);
    assert.ok(Date.now() - started >= 600, "held for the grace");
    assert.ok(events.includes("down p true"), events.join(", "));
    assert.ok(!events.some((e) => e.startsWith("up")));
  } finally {
    await producer.close();
  }
  await assert.doesNotReject(producer.close()); // closing twice is harmless
});

Deno.test("ThreadedProducer refuses a batch of two topics or two header sets, and an empty one is done", async () => {
  const producer = new ThreadedProducer({ kafka: UNREACHABLE, clientId: "p", graceMs: 100 });
  try {
    await producer.send([]);
    assert.throws(() => producer.send([message("t", "a"), message("u", "b")]), /one topic/);
    assert.throws(
      () => producer.send([message("t", "a"), { ...message("t", "b"), headers: new Map() }]),
      /one header set/,
    );
  } finally {
    await producer.close();
  }
});

Deno.test("ThreadedProducer: two closes at once both finish", async () => {
  const producer = new ThreadedProducer({ kafka: UNREACHABLE, clientId: "p", graceMs: 100 });
  await Promise.all([producer.close(), producer.close()]);
});
