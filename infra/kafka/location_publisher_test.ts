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
