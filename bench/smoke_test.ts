import assert from "node:assert/strict";
import type { SimReport } from "../sim/sim_report.ts";
import { smokeProblems } from "./smoke.ts";

function report(over: Partial<SimReport> = {}): SimReport {
  return {
    drivers: 10,
    intervalMs: 1000,
    processes: 1,
    offeredFixesPerSec: 10,
    achievedFixesPerSec: 10,
    ackedFixesPerSec: 10,
    sent: 100,
    acked: 100,
    unacked: 0,
    peakConnections: 10,
    handshakes: 10,
    rampSeconds: 1,
    windowSeconds: 5,
    errors: {},
    ordersAssigned: 2,
    ackLatencyMs: { p50: 1, p95: 1, p99: 1, max: 1, mean: 1, count: 100 },
    viewers: {
      count: 2,
      opened: 2,
      frames: { snapshot: 2, location: 9 },
      latencyMs: { p50: 1, p95: 2, p99: 2, max: 3, count: 9 },
    },
    ...over,
  };
}
const o = { drivers: 10, viewers: 2, orderShare: 0, minAckedShare: 0.95 };

Deno.test("smokeProblems passes a clean run", () => {
  assert.deepEqual(smokeProblems(report(), o), []);
});

Deno.test("smokeProblems reports missing drivers, unacked fixes, errors and silent viewers", () => {
  const problems = smokeProblems(
    report({
      handshakes: 9,
      acked: 90,
      errors: { connect_failed: 1 },
      viewers: {
        count: 2,
        opened: 1,
        frames: { snapshot: 1 },
        latencyMs: { p50: 0, p95: 0, p99: 0, max: 0, count: 0 },
      },
    }),
    o,
  );
  assert.deepEqual(problems, [
    "only 9 of 10 drivers connected",
    "only 90 of 100 fixes were acked",
    'errors: {"connect_failed":1}',
    "only 1 of 2 viewers connected",
    "1 snapshots for 2 viewers",
    "no position reached a viewer",
  ]);
  assert.deepEqual(smokeProblems(report({ acked: 0 }), o), ["no fix was acked"]);
  const { viewers: _, ...noViewers } = report();
  assert.deepEqual(smokeProblems(noViewers, { ...o, viewers: 0 }), []);
});

Deno.test("smokeProblems counts orders for --order-share, watched or not", () => {
  // 10 drivers, share 0.5: 5 orders, of which the 2 viewers watch 2.
  const share = { ...o, orderShare: 0.5 };
  assert.deepEqual(smokeProblems(report({ ordersAssigned: 5 }), share), []);
  assert.deepEqual(smokeProblems(report({ ordersAssigned: 4 }), share), [
    "only 4 of 5 orders created and assigned",
  ]);
  // Without a share, the viewers' orders are all there is.
  assert.deepEqual(smokeProblems(report({ ordersAssigned: 1 }), o), [
    "only 1 of 2 orders created and assigned",
  ]);
});

Deno.test("smokeProblems reports fleet viewers that did not connect or saw no drivers", () => {
  const fleet = { ...o, fleetViewers: 2 };
  const seen = { count: 2, opened: 2, frames: { stats: 2, positions: 3 } };
  assert.deepEqual(smokeProblems(report({ fleetViewers: seen }), fleet), []);
  assert.deepEqual(
    smokeProblems(report({ fleetViewers: { count: 2, opened: 1, frames: { stats: 1 } } }), fleet),
    ["only 1 of 2 fleet viewers connected", "0 positions/clusters frames for 2 fleet viewers"],
  );
  assert.deepEqual(smokeProblems(report(), fleet), [
    "only 0 of 2 fleet viewers connected",
    "0 positions/clusters frames for 2 fleet viewers",
  ]);
});
