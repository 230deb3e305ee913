import type { HistoryStore } from "../../domain/history_store.ts";
import { DAY_MS, type HistoryLayout, partitionName } from "./history_layout.ts";
import { readHours, type ReadResult } from "./history_probes.ts";
import type { openPool } from "./history_tables.ts";
import type { Rng } from "../../sim/rng.ts";

/** Hour reads on day partitions rewritten in key order, against the plain table. */
export interface ClusterResult {
  /** `CLUSTER` statements run and their durations, ms */
  clustered: { statement: string; durationMs: number }[];
  /** one-hour reads on those days only: part (clustered) vs plain */
  hourRead: ReadResult;
}

/**
 * Rewrites the partitions of layout days `days` in primary-key order (`CLUSTER ... USING` its
 * key index, what a nightly job could do to a day no longer written), then reads one-hour
 * histories of those days from both tables.
 */
export async function clusterAndRead(
  admin: ReturnType<typeof openPool>,
  stores: { part: HistoryStore; plain: HistoryStore },
  o: { part: string; layout: HistoryLayout; days: number[]; reads: number; rng: Rng },
): Promise<ClusterResult> {
  const clustered: ClusterResult["clustered"] = [];
  for (const day of o.days) {
    const name = partitionName(o.layout.firstDayMs + day * DAY_MS);
    const statement = `CLUSTER ${o.part}.${name} USING ${name}_pkey`;
    const t = performance.now();
    await admin.unsafe(statement);
    await admin.unsafe(`ANALYZE ${o.part}.${name}`);
    clustered.push({ statement, durationMs: Math.round(performance.now() - t) });
  }
  return { clustered, hourRead: await readHours(stores, o.layout, o.days, o.reads, o.rng) };
}

/** Day starts (epoch ms) of the partitions of `<schema>.driver_locations` already clustered. */
export async function clusteredDays(
  sql: ReturnType<typeof openPool>,
  schema: string,
): Promise<Set<string>> {
  const rows = await sql<{ name: string }[]>`
    SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    JOIN pg_index x ON x.indrelid = c.oid AND x.indisclustered
    WHERE i.inhparent = to_regclass(${schema + ".driver_locations"})`;
  return new Set(rows.map((r) => r.name));
}
