import assert from "node:assert/strict";
import { Registry } from "prom-client";
import { ActorSystem, VirtualClock } from "./runtime/mod.ts";
import { RETENTION, retentionActorKind } from "./retention_actor.ts";
import type { Retention, RetentionReport } from "../domain/retention.ts";
import { RetentionMetrics } from "../infra/retention_metrics.ts";

const DONE: RetentionReport = {
  ran: true,
  created: ["driver_locations_p20300113"],
  dropped: ["driver_locations_p20291201", "driver_locations_p20291202"],
  partitions: 33,
  ordersDeleted: 5,
  notificationsDeleted: 7,
  deadLettersDeleted: 11,
};

class FakeRetention implements Retention {
  rounds: number[] = [];
  failuresLeft = 0;
  report: RetentionReport = DONE;
  run(now: number): Promise<RetentionReport> {
    this.rounds.push(now);
    if (this.failuresLeft > 0) {
      this.failuresLeft--;
      return Promise.reject(new Error("database down"));
    }
    return Promise.resolve(this.report);
  }
}

async function ticks() {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
}

function setup() {
  const clock = new VirtualClock(1_000);
  const system = new ActorSystem({ clock });
  const retention = new FakeRetention();
  const registry = new Registry();
  const metrics = new RetentionMetrics(registry);
  const schedule = { intervalMs: 3_600_000, retryMs: 60_000 };
  system.register(RETENTION, retentionActorKind({ retention, metrics, schedule }));
  const ref = system.ref(RETENTION, "storage");
  const value = async (name: string, labels: Record<string, string> = {}) => {
    const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
    const match = metric?.values.find((v) =>
      Object.entries(labels).every(([k, l]) => v.labels[k] === l)
    );
    return match?.value ?? 0;
  };
  return { clock, system, retention, ref, value };
}

Deno.test("RetentionActor runs a round as it starts and then every intervalMs, dated by its clock", async () => {
  const t = setup();
  t.ref.tell({ type: "run" });
  await ticks();
  assert.deepEqual(t.retention.rounds, [1_000]);
  t.clock.advance(3_599_999);
  await ticks();
  assert.equal(t.retention.rounds.length, 1);
  t.clock.advance(1);
  await ticks();
  assert.deepEqual(t.retention.rounds, [1_000, 3_601_000]);
  await t.system.shutdown();
});

Deno.test("RetentionActor counts what a round created, dropped and deleted", async () => {
  const t = setup();
  t.ref.tell({ type: "run" });
  await ticks();
  assert.equal(await t.value("tracking_history_partitions_created_total", { reason: "ahead" }), 1);
  assert.equal(await t.value("tracking_history_partitions_dropped_total"), 2);
  assert.equal(await t.value("tracking_history_partitions"), 33);
  assert.equal(await t.value("tracking_retention_rows_deleted_total", { table: "orders" }), 5);
  assert.equal(
    await t.value("tracking_retention_rows_deleted_total", { table: "notifications" }),
    7,
  );
  assert.equal(
    await t.value("tracking_retention_rows_deleted_total", { table: "dead_letters" }),
    11,
  );
  assert.equal(await t.value("tracking_retention_runs_total", { result: "done" }), 1);
  t.retention.report = { ...DONE, ran: false, created: [], dropped: [] };
  const report = await t.ref.ask<RetentionReport | undefined>((replyTo) => ({
    type: "run",
    replyTo,
  }));
  assert.equal(report?.ran, false);
  assert.equal(await t.value("tracking_retention_runs_total", { result: "skipped" }), 1);
  assert.equal(await t.value("tracking_history_partitions_dropped_total"), 2);
  await t.system.shutdown();
});

Deno.test("RetentionActor retries a failed round after retryMs and keeps its hourly schedule", async () => {
  const t = setup();
  t.retention.failuresLeft = 2;
  t.ref.tell({ type: "run" });
  await ticks();
  assert.equal(await t.value("tracking_retention_runs_total", { result: "failed" }), 1);
  t.clock.advance(60_000); // second attempt fails too
  await ticks();
  t.clock.advance(60_000); // third succeeds
  await ticks();
  assert.deepEqual(t.retention.rounds, [1_000, 61_000, 121_000]);
  assert.equal(await t.value("tracking_retention_runs_total", { result: "failed" }), 2);
  assert.equal(await t.value("tracking_retention_runs_total", { result: "done" }), 1);
  t.clock.advance(3_600_000 - 120_000); // no retry left over; the hourly round comes on time
  await ticks();
  assert.deepEqual(t.retention.rounds, [1_000, 61_000, 121_000, 3_601_000]);
  await t.system.shutdown();
});
