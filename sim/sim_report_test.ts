import assert from "node:assert/strict";
import { LatencyHistogram } from "./latency_histogram.ts";
import { buildSimReport, formatProgress } from "./sim_report.ts";
import type { SimulationResult } from "./simulation.ts";
import { emptyCounters } from "./sim_stats.ts";

function result(sent: number, acked: number, latencies: number[], errors = {}): SimulationResult {
  const h = new LatencyHistogram();
  for (const v of latencies) h.record(v);
  return {
    counters: { ...emptyCounters(), opened: 10, sent, acked, errors, ordersAssigned: 3 },
    ackHistogram: h.toJSON(),
    viewerHistogram: new LatencyHistogram().toJSON(),
    wsAckHistogram: h.toJSON(),
    osmandAckHistogram: new LatencyHistogram().toJSON(),
    window: { seconds: 10, sent: sent - 10, acked: acked - 10 },
    peakOpen: 10,
    rampSeconds: 2,
  };
}

Deno.test("buildSimReport merges processes: sums, errors by code, merged percentiles", () => {
  const r = buildSimReport(
    [
      result(110, 100, Array.from({ length: 100 }, (_, i) => i + 1), { rate_limited: 2 }),
      result(110, 110, Array.from({ length: 100 }, (_, i) => i + 101), { rate_limited: 1, x: 1 }),
    ],
    { drivers: 20, intervalMs: 1000, viewers: 0 },
  );
  assert.equal(r.sent, 220);
  assert.equal(r.acked, 210);
  assert.equal(r.unacked, 10);
  assert.equal(r.offeredFixesPerSec, 20);
  assert.equal(r.achievedFixesPerSec, 20);
  assert.equal(r.ackedFixesPerSec, 19);
  assert.equal(r.peakConnections, 20);
  assert.deepEqual(r.errors, { rate_limited: 3, x: 1 });
  assert.equal(r.ordersAssigned, 6);
  assert.ok(Math.abs(r.ackLatencyMs.p50 - 100) <= 1);
  assert.equal(r.ackLatencyMs.max, 200);
  assert.equal(r.viewers, undefined);
});

Deno.test("formatProgress shows per-second rates from cumulative counters", () => {
  const base = { ...emptyCounters(), open: 5, connecting: 1, opened: 5, sent: 100, acked: 90 };
  const line = formatProgress(base, { ...base, sent: 300, acked: 250, errors: { a: 2 } }, 2, 12);
  assert.match(line, /conns 5 \(\+1 connecting\)/);
  assert.match(line, /sent 100\/s/);
  assert.match(line, /acked 80\/s/);
  assert.match(line, /errors 2/);
});

Deno.test("formatProgress shows the positions viewers received per second once viewers are open", () => {
  const base = {
    ...emptyCounters(),
    open: 5,
    opened: 5,
    sent: 100,
    acked: 100,
    viewersOpened: 3,
    viewerFrames: { location: 10 },
  };
  const line = formatProgress(base, { ...base, viewerFrames: { location: 50, eta: 4 } }, 2, 12);
  assert.match(line, /viewers 3 got 20\/s/);
  const none = { ...base, viewersOpened: 0, viewerFrames: {} };
  assert.doesNotMatch(formatProgress(none, none, 1, 1), /viewers/);
});

Deno.test("buildSimReport with an OsmAnd share counts socket drivers and phones apart", () => {
  const ws = new LatencyHistogram(), phones = new LatencyHistogram();
  for (let i = 0; i < 60; i++) ws.record(10);
  for (let i = 0; i < 40; i++) phones.record(200);
  const all = new LatencyHistogram();
  all.merge(ws.toJSON());
  all.merge(phones.toJSON());
  const r = buildSimReport(
    [{
      counters: {
        ...emptyCounters(),
        opened: 10,
        sent: 110,
        acked: 100,
        osmandDevices: 4,
        osmandSent: 45,
        osmandAcked: 40,
        errors: { osmand_503: 2, close_1011: 1 },
      },
      ackHistogram: all.toJSON(),
      viewerHistogram: new LatencyHistogram().toJSON(),
      wsAckHistogram: ws.toJSON(),
      osmandAckHistogram: phones.toJSON(),
      window: { seconds: 10, sent: 100, acked: 100 },
      peakOpen: 10,
      rampSeconds: 1,
    }],
    { drivers: 10, intervalMs: 1000, viewers: 0, osmandShare: 0.4 },
  );
  const p = r.byProtocol;
  assert.ok(p);
  assert.deepEqual(
    { ...p.ws, ackLatencyMs: p.ws.ackLatencyMs.count },
    {
      drivers: 6,
      connected: 6,
      sent: 65,
      acked: 60,
      unacked: 5,
      ackLatencyMs: 60,
      errors: { close_1011: 1 },
    },
  );
  assert.deepEqual(
    { ...p.osmand, ackLatencyMs: p.osmand.ackLatencyMs.count },
    {
      drivers: 4,
      connected: 4,
      sent: 45,
      acked: 40,
      unacked: 5,
      ackLatencyMs: 40,
      errors: { osmand_503: 2 },
    },
  );
  assert.ok(Math.abs(p.osmand.ackLatencyMs.p50 - 200) <= 4, `p50 ${p.osmand.ackLatencyMs.p50}`);
  assert.equal(
    buildSimReport([], { drivers: 1, intervalMs: 1000, viewers: 0 }).byProtocol,
    undefined,
  );
});
