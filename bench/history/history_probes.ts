import type { LocationRecord } from "../../domain/location_record.ts";
import type { HistoryStore } from "../../domain/history_store.ts";
import { DAY_MS, FIX_MS, type HistoryLayout, shiftOf } from "./history_layout.ts";
import { percentile } from "../../sim/percentile.ts";
import type { Rng } from "../../sim/rng.ts";

/** Latency summary, ms. */
export interface LatencyMs {
  count: number;
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

/** Summarises latencies (ms, rounded to 0.01). */
export function summarise(values: number[]): LatencyMs {
  const sorted = Float64Array.from(values).sort();
  const r = (x: number) => Math.round(x * 100) / 100;
  const sum = values.reduce((a, b) => a + b, 0);
  return {
    count: values.length,
    p50: r(percentile(sorted, 50)),
    p99: r(percentile(sorted, 99)),
    max: r(sorted[sorted.length - 1] ?? NaN),
    mean: r(values.length ? sum / values.length : NaN),
  };
}

/** Reads of one kind on both tables: latency and rows per read. */
export interface ReadResult {
  part: LatencyMs & { meanRows: number };
  plain: LatencyMs & { meanRows: number };
}

/** A history query: driver and inclusive ts range. */
interface Window {
  driverId: string;
  from: number;
  to: number;
}

/** The service's default page (`GET /drivers/:id/history` without `limit`). */
const _LIMIT = 1000;

/**
 * `count` reads through `HistoryStore.history` on each store, alternating which goes first so a
 * load change on the shared machine hits both alike. `pick` draws the window of one read.
 */
async function _readBoth(
  stores: { part: HistoryStore; plain: HistoryStore },
  count: number,
  pick: () => Window,
): Promise<ReadResult> {
  const ms = { part: [] as number[], plain: [] as number[] };
  const rows = { part: 0, plain: 0 };
  for (let n = 0; n < count; n++) {
    const w = pick();
    const order = n % 2 === 0 ? ["part", "plain"] as const : ["plain", "part"] as const;
    for (const name of order) {
      const t = performance.now();
      const got = await stores[name].history(w.driverId, { from: w.from, to: w.to, limit: _LIMIT });
      ms[name].push(performance.now() - t);
      rows[name] += got.length;
    }
  }
  const mean = (x: number) => Math.round((x / count) * 10) / 10;
  return {
    part: { ...summarise(ms.part), meanRows: mean(rows.part) },
    plain: { ...summarise(ms.plain), meanRows: mean(rows.plain) },
  };
}

/** A random shift on one of `days` (indexes into the layout's days). */
function _randomShift(layout: HistoryLayout, days: number[], rng: Rng) {
  const day = days[Math.floor(rng() * days.length)]!;
  return shiftOf(layout, day, Math.floor(rng() * layout.shiftsPerDay));
}

/** One-hour reads of a random driver's working hour (the hour its shift starts). */
export function readHours(
  stores: { part: HistoryStore; plain: HistoryStore },
  layout: HistoryLayout,
  days: number[],
  count: number,
  rng: Rng,
): Promise<ReadResult> {
  return _readBoth(stores, count, () => {
    const s = _randomShift(layout, days, rng);
    return { driverId: s.driverId, from: s.startMs, to: s.startMs + 3_600_000 - 1 };
  });
}

/** Order tracks: a driver's fixes from an assignment in its shift to a delivery 20-40 min on. */
export function readTracks(
  stores: { part: HistoryStore; plain: HistoryStore },
  layout: HistoryLayout,
  days: number[],
  count: number,
  rng: Rng,
): Promise<ReadResult> {
  return _readBoth(stores, count, () => {
    const s = _randomShift(layout, days, rng);
    const latest = Math.max(s.startMs, s.endMs - 20 * 60_000);
    const from = s.startMs + Math.floor(rng() * (latest - s.startMs));
    return { driverId: s.driverId, from, to: from + (20 + Math.floor(rng() * 21)) * 60_000 };
  });
}

/**
 * Fresh fixes for the history writer: row `g` is driver `g mod drivers` at tick
 * `g / drivers` (5 s apart) after `baseMs`, each driver's fixes offset by up to 5 s.
 */
export function freshRows(
  baseMs: number,
  drivers: number,
  from: number,
  n: number,
): LocationRecord[] {
  const rows: LocationRecord[] = [];
  for (let g = from; g < from + n; g++) {
    const d = g % drivers;
    const tick = Math.floor(g / drivers);
    const ts = baseMs + tick * FIX_MS + ((d * 37) % FIX_MS);
    rows.push({
      driverId: `drv-${d}`,
      seq: 9_000_000_000 + g,
      ts,
      lat: 12.9 + (d % 200) / 1000,
      lon: 77.5 + (tick % 200) / 1000,
      speed: 7,
      heading: (d * 17) % 360,
      accuracy: 5,
      region: "south",
      receivedAt: ts + 120,
    });
  }
  return rows;
}

/** Insert throughput of the history writer's `insertBatch` into each table. */
export interface InsertResult {
  part: { rows: number; rowsPerS: number; batchMs: LatencyMs };
  plain: { rows: number; rowsPerS: number; batchMs: LatencyMs };
  /** part rows/s ÷ plain rows/s */
  ratio: number;
}

/**
 * Inserts `total` fresh rows into each store in batches of `batch`, alternating the stores batch
 * by batch; rows/s = rows ÷ the sum of that store's batch times.
 */
export async function insertBoth(
  stores: { part: HistoryStore; plain: HistoryStore },
  o: { baseMs: number; drivers: number; total: number; batch: number },
): Promise<InsertResult> {
  const ms = { part: [] as number[], plain: [] as number[] };
  const stored = { part: 0, plain: 0 };
  for (let g = 0, n = 0; g < o.total; g += o.batch, n++) {
    const rows = freshRows(o.baseMs, o.drivers, g, Math.min(o.batch, o.total - g));
    const order = n % 2 === 0 ? ["part", "plain"] as const : ["plain", "part"] as const;
    for (const name of order) {
      const t = performance.now();
      stored[name] += await stores[name].insertBatch(rows);
      ms[name].push(performance.now() - t);
    }
  }
  const rate = (name: "part" | "plain") =>
    Math.round(stored[name] / (ms[name].reduce((a, b) => a + b, 0) / 1000));
  const part = { rows: stored.part, rowsPerS: rate("part"), batchMs: summarise(ms.part) };
  const plain = { rows: stored.plain, rowsPerS: rate("plain"), batchMs: summarise(ms.plain) };
  return { part, plain, ratio: Math.round((part.rowsPerS / plain.rowsPerS) * 1000) / 1000 };
}

/** Day indexes of the layout that lie in `[fromMs, toMs)`. */
export function layoutDays(layout: HistoryLayout, fromMs: number, toMs: number): number[] {
  const days: number[] = [];
  for (let day = 0; day < layout.days; day++) {
    const start = layout.firstDayMs + day * DAY_MS;
    if (start >= fromMs && start < toMs) days.push(day);
  }
  return days;
}
