import type { LatencyHistogram } from "./latency_histogram.ts";
import { type SimCounters, type SimHistograms, SimStats } from "./sim_stats.ts";
import type { SimulationResult } from "./simulation.ts";

/** The JSON a simulation prints on stdout at the end. */
export interface SimReport {
  drivers: number;
  intervalMs: number;
  processes: number;
  offeredFixesPerSec: number;
  /** fixes sent per second during the steady window (after ramp-up) */
  achievedFixesPerSec: number;
  /** fixes acked per second during the steady window */
  ackedFixesPerSec: number;
  sent: number;
  acked: number;
  unacked: number;
  peakConnections: number;
  handshakes: number;
  rampSeconds: number;
  windowSeconds: number;
  errors: Record<string, number>;
  /** orders created and assigned to simulated drivers (viewers' and --order-share's) */
  ordersAssigned: number;
  /** send to ack, for fixes sent during the steady window */
  ackLatencyMs: { p50: number; p95: number; p99: number; max: number; mean: number; count: number };
  viewers?: {
    /** viewers asked for, and viewer sockets that opened */
    count: number;
    opened: number;
    frames: Record<string, number>;
    /** fix send time to its arrival at the viewer */
    latencyMs: { p50: number; p95: number; p99: number; max: number; count: number };
  };
  /** the counts of each protocol apart, when some drivers are phones (with --osmand-share) */
  byProtocol?: { ws: ProtocolReport; osmand: ProtocolReport };
  /** ops fleet maps on /ws/fleet (with --fleet-viewers) */
  fleetViewers?: {
    /** fleet viewers asked for, and sockets that opened */
    count: number;
    opened: number;
    frames: Record<string, number>;
  };
}

/** One protocol's drivers and fixes in a {@linkcode SimReport}. */
export interface ProtocolReport {
  drivers: number;
  /** socket handshakes, or phones whose device was registered */
  connected: number;
  sent: number;
  acked: number;
  unacked: number;
  /** send to ack (to the 200, for a phone), fixes sent during the steady window */
  ackLatencyMs: { p50: number; p95: number; p99: number; max: number; count: number };
  /** errors of this protocol (a phone's start with `osmand_`) */
  errors: Record<string, number>;
}

/** Merges the results of every simulator process into the final report. */
export function buildSimReport(
  results: SimulationResult[],
  o: {
    drivers: number;
    intervalMs: number;
    viewers: number;
    fleetViewers?: number;
    osmandShare?: number;
  },
): SimReport {
  const merged = new SimStats();
  let win = 0, wSent = 0, wAcked = 0, peak = 0, ramp = 0;
  for (const r of results) {
    merged.merge(r.counters, _histograms(r));
    win = Math.max(win, r.window.seconds);
    wSent += r.window.sent;
    wAcked += r.window.acked;
    peak += r.peakOpen;
    ramp = Math.max(ramp, r.rampSeconds);
  }
  const { c, ackLatency: ack, viewerLatency: view } = merged;
  const report: SimReport = {
    drivers: o.drivers,
    intervalMs: o.intervalMs,
    processes: results.length,
    offeredFixesPerSec: _round((o.drivers * 1000) / o.intervalMs),
    achievedFixesPerSec: _round(win > 0 ? wSent / win : 0),
    ackedFixesPerSec: _round(win > 0 ? wAcked / win : 0),
    sent: c.sent,
    acked: c.acked,
    unacked: c.sent - c.acked,
    peakConnections: peak,
    handshakes: c.opened,
    rampSeconds: _round(ramp),
    windowSeconds: _round(win),
    errors: c.errors,
    ordersAssigned: c.ordersAssigned,
    ackLatencyMs: { ..._percentiles(ack), mean: _round(ack.mean) },
  };
  if (o.viewers > 0) {
    report.viewers = {
      count: Math.min(o.viewers, o.drivers),
      opened: c.viewersOpened,
      frames: c.viewerFrames,
      latencyMs: _percentiles(view),
    };
  }
  if ((o.osmandShare ?? 0) > 0) report.byProtocol = _byProtocol(merged, o.drivers, o.osmandShare!);
  if ((o.fleetViewers ?? 0) > 0) {
    report.fleetViewers = {
      count: o.fleetViewers!,
      opened: c.fleetViewersOpened,
      frames: c.fleetFrames,
    };
  }
  return report;
}

/** The histograms of one process's result, to merge. */
function _histograms(r: SimulationResult): SimHistograms {
  return {
    ack: r.ackHistogram,
    viewer: r.viewerHistogram,
    ws: r.wsAckHistogram,
    osmand: r.osmandAckHistogram,
  };
}

/** The socket drivers' and the phones' counts apart (phones: `floor(drivers * share)`). */
function _byProtocol(
  m: SimStats,
  drivers: number,
  share: number,
): NonNullable<SimReport["byProtocol"]> {
  const c = m.c;
  const phones = Math.floor(drivers * share + 1e-9);
  const errors = (osmand: boolean) =>
    Object.fromEntries(
      Object.entries(c.errors).filter(([k]) => k.startsWith("osmand_") === osmand),
    );
  return {
    ws: {
      drivers: drivers - phones,
      connected: c.opened - c.osmandDevices,
      sent: c.sent - c.osmandSent,
      acked: c.acked - c.osmandAcked,
      unacked: c.sent - c.osmandSent - (c.acked - c.osmandAcked),
      ackLatencyMs: _percentiles(m.wsAckLatency),
      errors: errors(false),
    },
    osmand: {
      drivers: phones,
      connected: c.osmandDevices,
      sent: c.osmandSent,
      acked: c.osmandAcked,
      unacked: c.osmandSent - c.osmandAcked,
      ackLatencyMs: _percentiles(m.osmandAckLatency),
      errors: errors(true),
    },
  };
}

/** One decimal; null (typed as number for the JSON report) when there is no value. */
function _round(x: number): number {
  return Number.isFinite(x) ? Math.round(x * 10) / 10 : null as unknown as number;
}

/** p50, p95, p99 and max of a latency histogram (ms, one decimal) and its sample count. */
function _percentiles(h: LatencyHistogram) {
  const p = (q: number) => _round(h.percentile(q));
  return { p50: p(50), p95: p(95), p99: p(99), max: p(100), count: h.count };
}

/** One human progress line from two cumulative snapshots `dt` seconds apart. */
export function formatProgress(
  prev: SimCounters,
  cur: SimCounters,
  dt: number,
  elapsedS: number,
): string {
  const rate = (a: number, b: number) => Math.round((b - a) / Math.max(dt, 1e-3));
  const errs = Object.values(cur.errors).reduce((a, b) => a + b, 0);
  const seen = (c: SimCounters) => c.viewerFrames["location"] ?? 0;
  return `[sim ${
    elapsedS.toFixed(0).padStart(4)
  }s] conns ${cur.open} (+${cur.connecting} connecting)` +
    ` | sent ${rate(prev.sent, cur.sent)}/s | acked ${rate(prev.acked, cur.acked)}/s` +
    ` | unacked ${cur.sent - cur.acked}` +
    (cur.viewersOpened > 0
      ? ` | viewers ${cur.viewersOpened} got ${rate(seen(prev), seen(cur))}/s`
      : "") +
    ` | errors ${errs}`;
}
