import { LatencyHistogram, type LatencyHistogramJson } from "./latency_histogram.ts";

/** Cumulative counters of a simulation (or of one simulator process), JSON-safe. */
export interface SimCounters {
  /** sockets currently open */
  open: number;
  /** sockets currently connecting */
  connecting: number;
  /** handshakes completed (reconnects included) */
  opened: number;
  /** fixes sent */
  sent: number;
  /** fixes covered by a cumulative ack */
  acked: number;
  /** error count by code: server `error` frames by their code, and local ones
   * (`connect_failed`, `close_<code>`, `backpressure_skipped`, `bad_frame`) */
  errors: Record<string, number>;
  /** orders created and assigned to a driver (with --viewers or --order-share) */
  ordersAssigned: number;
  /** customer viewer sockets opened (only with --viewers) */
  viewersOpened: number;
  /** viewer frames received by type (only with --viewers) */
  viewerFrames: Record<string, number>;
  /** phones (OsmAnd drivers) with a device key registered (only with --osmand-share) */
  osmandDevices: number;
  /** fixes of phones put in their buffers, and answered 200 (included in `sent` and `acked`) */
  osmandSent: number;
  osmandAcked: number;
  /** ops fleet-map sockets opened (only with --fleet-viewers) */
  fleetViewersOpened: number;
  /** fleet frames received by type (only with --fleet-viewers) */
  fleetFrames: Record<string, number>;
}

/** All counters at zero. */
export function emptyCounters(): SimCounters {
  return {
    open: 0,
    connecting: 0,
    opened: 0,
    sent: 0,
    acked: 0,
    errors: {},
    ordersAssigned: 0,
    viewersOpened: 0,
    viewerFrames: {},
    fleetViewersOpened: 0,
    fleetFrames: {},
    osmandDevices: 0,
    osmandSent: 0,
    osmandAcked: 0,
  };
}

/** Counters and the ack-latency histogram of a simulation, mergeable across processes. */
export class SimStats {
  /** The live counters; mutate freely. */
  readonly c: SimCounters = emptyCounters();
  /** Ack latency: time from sending a fix to the first ack that covers it. */
  readonly ackLatency: LatencyHistogram = new LatencyHistogram();
  /** Ack latency of the WebSocket drivers' fixes alone (also in `ackLatency`). */
  readonly wsAckLatency: LatencyHistogram = new LatencyHistogram();
  /** Ack latency of the phones' fixes alone: send to the 200 (also in `ackLatency`). */
  readonly osmandAckLatency: LatencyHistogram = new LatencyHistogram();
  /** Viewer latency: fix time to the viewer receiving it (only with --viewers). */
  readonly viewerLatency: LatencyHistogram = new LatencyHistogram();
  /**
   * Latencies count only for fixes sent from this moment on (`performance.now()` and `Date.now()`
   * of the same instant): the steady window, not the ramp-up's connection storm. Default: all.
   */
  latencyFrom: { perf: number; wall: number } = { perf: -Infinity, wall: -Infinity };

  /** Counts one error of `code`. */
  error(code: string, n = 1): void {
    this.c.errors[code] = (this.c.errors[code] ?? 0) + n;
  }

  /** Total errors of every code. */
  get errorTotal(): number {
    return _sum(this.c.errors);
  }

  /** Adds another process's counters and histograms. */
  merge(c: SimCounters, h: SimHistograms = {}): void {
    for (const k of _SUMMED) this.c[k] += c[k] ?? 0;
    for (const [k, v] of Object.entries(c.errors)) this.error(k, v);
    for (const [k, v] of Object.entries(c.viewerFrames)) {
      this.c.viewerFrames[k] = (this.c.viewerFrames[k] ?? 0) + v;
    }
    for (const [k, v] of Object.entries(c.fleetFrames ?? {})) {
      this.c.fleetFrames[k] = (this.c.fleetFrames[k] ?? 0) + v;
    }
    if (h.ack) this.ackLatency.merge(h.ack);
    if (h.viewer) this.viewerLatency.merge(h.viewer);
    if (h.ws) this.wsAckLatency.merge(h.ws);
    if (h.osmand) this.osmandAckLatency.merge(h.osmand);
  }

  /** A deep copy of the counters. */
  snapshot(): SimCounters {
    return structuredClone(this.c);
  }
}

/** The numeric counters that add up across processes. */
const _SUMMED = [
  "open",
  "connecting",
  "opened",
  "sent",
  "acked",
  "ordersAssigned",
  "viewersOpened",
  "fleetViewersOpened",
  "osmandDevices",
  "osmandSent",
  "osmandAcked",
] as const;

/** The histograms of another process, for {@linkcode SimStats.merge}. */
export interface SimHistograms {
  ack?: LatencyHistogramJson;
  viewer?: LatencyHistogramJson;
  ws?: LatencyHistogramJson;
  osmand?: LatencyHistogramJson;
}

function _sum(r: Record<string, number>): number {
  let s = 0;
  for (const v of Object.values(r)) s += v;
  return s;
}
