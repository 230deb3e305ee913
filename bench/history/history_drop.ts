import type { HistoryStore } from "../../domain/history_store.ts";
import { FIX_MS } from "./history_layout.ts";
import { freshRows, type LatencyMs, summarise } from "./history_probes.ts";

/** How the writer fared while a day of history was removed. */
export interface RemovalResult {
  /** what was removed and how, e.g. `DROP TABLE part.driver_locations_p20261030` */
  statements: string[];
  /** wall time of the statements, ms */
  durationMs: number;
  /** rows the statements removed (`DELETE`'s count; for a dropped partition its row count) */
  rowsRemoved: number;
  /** flush latency of batches that ended before the removal started */
  before: LatencyMs;
  /** of batches whose flush overlapped the removal */
  during: LatencyMs;
  /** of batches that started after the removal ended */
  after: LatencyMs;
  /** fresh rows the writer flushed (batches × batch size) */
  rowsWritten: number;
  /** the slowest flush overlapping the removal exceeded the slowest before it by over 100 ms */
  writerStalled: boolean;
}

/** The writer of {@linkcode measureRemoval}. */
export interface RemovalWriter {
  store: HistoryStore;
  drivers: number;
  batch: number;
  /** a flush starts every this many ms (or as soon as the previous ends, if later) */
  flushEveryMs: number;
  /** ts of the first fresh fix; see {@linkcode freshRows} */
  baseMs: number;
}

/**
 * Keeps a history writer flushing batches of fresh rows through `insertBatch` for `beforeMs`,
 * then runs `remove` (which returns its statements and rows removed) while the writer goes on,
 * then writes `afterMs` more, and sorts each flush's latency into before / during / after.
 */
export async function measureRemoval(
  writer: RemovalWriter,
  remove: () => Promise<{ statements: string[]; rowsRemoved: number }>,
  o: { beforeMs: number; afterMs: number },
): Promise<RemovalResult> {
  const flushes: { start: number; end: number }[] = [];
  let stop = false;
  let failure: unknown;
  const loop = (async () => {
    for (let n = 0; !stop; n++) {
      const start = performance.now();
      const rows = freshRows(writer.baseMs, writer.drivers, n * writer.batch, writer.batch);
      await writer.store.insertBatch(rows);
      const end = performance.now();
      flushes.push({ start, end });
      const wait = start + writer.flushEveryMs - end;
      if (wait > 0 && !stop) await new Promise((r) => setTimeout(r, wait));
    }
  })().catch((error) => {
    failure = error;
  });
  try {
    await new Promise((r) => setTimeout(r, o.beforeMs));
    const t0 = performance.now();
    const removed = await remove();
    const t1 = performance.now();
    await new Promise((r) => setTimeout(r, o.afterMs));
    stop = true;
    await loop;
    if (failure) throw failure;
    const ms = (f: { start: number; end: number }) => f.end - f.start;
    const before = summarise(flushes.filter((f) => f.end < t0).map(ms));
    const during = summarise(flushes.filter((f) => f.end >= t0 && f.start <= t1).map(ms));
    const after = summarise(flushes.filter((f) => f.start > t1).map(ms));
    return {
      ...removed,
      durationMs: Math.round((t1 - t0) * 100) / 100,
      rowsWritten: flushes.length * writer.batch,
      before,
      during,
      after,
      writerStalled: during.count > 0 && during.max > (before.count ? before.max : 0) + 100,
    };
  } finally {
    stop = true;
    await loop;
  }
}

/** The first ts after `rows` fresh rows from `baseMs` (see {@linkcode freshRows}). */
export function nextBaseMs(baseMs: number, drivers: number, rows: number): number {
  return baseMs + (Math.ceil(rows / drivers) + 1) * FIX_MS;
}
