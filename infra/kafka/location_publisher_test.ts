import assert from "node:assert/strict";
import { KafkaLocationPublisher } from "./location_publisher.ts";
import type { LocationRecord } from "../../domain/location_record.ts";
import type { HealthReporter } from "../../domain/health_reporter.ts";

// Nothing listens on port 1: Kafka is unreachable for as long as the test runs.
const UNREACHABLE = { brokers: ["127.0.0.1:1"] };

function record(seq: number): LocationRecord {
  return { driverId: "d", seq, ts: seq, lat: 1, lon: 1, region: "r", receivedAt: seq };
}

Deno.test("KafkaLocationPublisher holds records while Kafka is away, refuses them after the grace, and past the queue bound at once", async () => {
  const states: string[] = [];
  const health: HealthReporter = {
    up: () => states.push("up"),
    down: () => states.push("down"),
    restarted: () => states.push("restarted"),
  };
  const publisher = new KafkaLocationPublisher({
    kafka: UNREACHABLE,
    topic: "t",
    graceMs: 1_500,
    maxQueued: 2,
    health,
  });
  const started = Date.now();
  const settled: number[] = [];
  const first = publisher.publish(record(1), 0).catch(() => settled.push(Date.now() - started));
  await new Promise((r) => setTimeout(r, 50)); // the first batch is in flight, retrying
  const queued = [2, 3].map((n) =>
    publisher.publish(record(n), 0).catch(() => settled.push(Date.now() - started))
  );
  // Two wait behind the batch in flight: the queue is full, a third is refused at once.
  await assert.rejects(publisher.publish(record(4), 0), /wait for Kafka already/);
  await Promise.all([first, ...queued]);
  assert.ok(settled[0]! >= 1_500, `held for the grace: ${settled[0]} ms`);
  assert.equal(settled.length, 3);
  assert.ok(states.includes("down") && !states.includes("up"));
  await publisher.close();
});

/** A sender that records each batch's keys and answers at once. */
function recordingSender() {
  const batches: string[][] = [];
  return {
    batches,
    sender: {
      send: (messages: { key?: string }[]) => {
        batches.push(messages.map((m) => m.key ?? ""));
        return Promise.resolve();
      },
      close: () => Promise.resolve(),
    },
  };
}

const keyed = (driverId: string, seq: number): LocationRecord => ({ ...record(seq), driverId });

Deno.test("KafkaLocationPublisher: records published within the linger go in one batch", async () => {
  const { batches, sender } = recordingSender();
  const publisher = new KafkaLocationPublisher({
    kafka: UNREACHABLE,
    topic: "t",
    lingerMs: 30,
    sender,
  });
  const first = publisher.publish(keyed("a", 1), 0);
  await new Promise((r) => setTimeout(r, 10)); // later turns, within the linger
  const second = publisher.publish(keyed("b", 2), 0);
  await Promise.all([first, second]);
  assert.deepEqual(batches, [["a", "b"]]);
  await publisher.close();
});

Deno.test("KafkaLocationPublisher: with no linger, a record published in a later turn is its own batch", async () => {
  const { batches, sender } = recordingSender();
  const publisher = new KafkaLocationPublisher({
    kafka: UNREACHABLE,
    topic: "t",
    lingerMs: 0,
    sender,
  });
  const first = publisher.publish(keyed("a", 1), 0);
  await new Promise((r) => setTimeout(r, 10));
  const second = publisher.publish(keyed("b", 2), 0);
  await Promise.all([first, second]);
  assert.deepEqual(batches, [["a"], ["b"]]);
  await publisher.close();
});

Deno.test("KafkaLocationPublisher: close sends what lingers at once and leaves no timer", async () => {
  const { batches, sender } = recordingSender();
  const publisher = new KafkaLocationPublisher({
    kafka: UNREACHABLE,
    topic: "t",
    lingerMs: 60_000,
    sender,
  });
  const published = publisher.publish(keyed("a", 1), 0);
  await publisher.close();
  await published;
  assert.deepEqual(batches, [["a"]]);
});
