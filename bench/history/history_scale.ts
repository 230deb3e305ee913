/**
 * History at fleet scale (issue #13): `driver_locations` partitioned by UTC day against the same
 * table unpartitioned, both filled with the same synthetic history, in one run.
 *
 *   deno task bench:history [--rows 50000000] [--days 30] [--drivers 10000] [--reuse] [--help]
 *
 * Prints progress on stderr and the report as JSON on stdout, and writes
 * `bench/results/<date>-history.json`. See docs/performance_history.md.
 *
 * @module
 */
import { PostgresHistoryStore } from "../../infra/postgres/history_store.ts";
import { HISTORY_USAGE, type HistoryArgs, parseHistoryArgs } from "./history_args.ts";
import { measureRemoval, nextBaseMs } from "./history_drop.ts";
import { DAY_MS, type HistoryLayout, partitionName, planLayout } from "./history_layout.ts";
import { insertBoth, layoutDays, readHours, readTracks } from "./history_probes.ts";
import { targetsOf } from "./history_report.ts";
import type { HistoryReport, RemovalSet } from "./history_report.ts";
import {
  buildTable,
  createPartition,
  dropSchemas,
  ensureDatabase,
  type FillTimes,
  openPool,
  partitionDays,
  storedLayout,
  tableSizes,
} from "./history_tables.ts";
import { createRng } from "../../sim/rng.ts";
import { clusterAndRead, clusteredDays } from "./history_cluster.ts";

export type { HistoryReport } from "./history_report.ts";

type Pool = ReturnType<typeof openPool>;

/** Runs the benchmark; `progress` gets one line per step. */
export async function runHistoryScale(
  a: HistoryArgs,
  progress: (line: string) => void = () => {},
): Promise<HistoryReport> {
  const started = new Date();
  const t0 = performance.now();
  const loadBefore = Deno.loadavg();
  const part = `${a.schemaPrefix}part`, plain = `${a.schemaPrefix}plain`;
  await ensureDatabase(a.databaseUrl);
  const admin = openPool(a.databaseUrl, 1);
  const pools = {
    part: openPool(a.databaseUrl, 2, part),
    plain: openPool(a.databaseUrl, 2, plain),
  };
  try {
    const { layout, fill } = await _prepare(admin, a, part, plain, progress);
    const todayMs = Math.floor(Date.now() / DAY_MS) * DAY_MS;
    for (const day of [todayMs, todayMs + DAY_MS]) await createPartition(admin, part, day);
    const sizes = { part: await tableSizes(admin, part), plain: await tableSizes(admin, plain) };
    const stored = (await partitionDays(admin, part)).filter((d) => d < todayMs);
    const done = await clusteredDays(admin, part);
    const days = layoutDays(layout, stored[0] ?? todayMs, todayMs)
      .filter((day) => !done.has(partitionName(layout.firstDayMs + day * DAY_MS)));
    if (days.length === 0) throw new Error(`no filled day left in ${part}; run without --reuse`);
    const stores = {
      part: new PostgresHistoryStore(pools.part),
      plain: new PostgresHistoryStore(pools.plain),
    };
    const m = await _measure(admin, stores, a, { part, plain, layout, days, stored }, progress);
    if (a.cleanup) await dropSchemas(admin, [part, plain]);
    return {
      date: started.toISOString(),
      wallSeconds: Math.round((performance.now() - t0) / 100) / 10,
      machine: await _machine(admin, loadBefore),
      params: { ...a, databaseUrl: _redact(a.databaseUrl) },
      schemas: { part, plain },
      layout,
      fill,
      sizes,
      ...m,
      targets: targetsOf(m.hourRead, m.insert, m.removal),
    };
  } finally {
    await Promise.all([admin.end(), pools.part.end(), pools.plain.end()]);
  }
}

/** The reads, inserts, removals and clustering of one run, on filled tables. */
async function _measure(
  admin: Pool,
  stores: { part: PostgresHistoryStore; plain: PostgresHistoryStore },
  a: HistoryArgs,
  o: { part: string; plain: string; layout: HistoryLayout; days: number[]; stored: number[] },
  progress: (line: string) => void,
): Promise<Pick<HistoryReport, "hourRead" | "orderTrack" | "insert" | "removal" | "cluster">> {
  const { layout, days } = o;
  const rng = createRng(a.seed);
  progress(`reading ${a.reads} one-hour histories from each table`);
  const hourRead = await readHours(stores, layout, days, a.reads, rng);
  progress(`hour read p99: part ${hourRead.part.p99} ms, plain ${hourRead.plain.p99} ms`);
  progress(`reading ${a.tracks} order tracks from each table`);
  const orderTrack = await readTracks(stores, layout, days, a.tracks, rng);
  progress(`inserting ${a.insertRows} rows into each table`);
  let baseMs = Date.now();
  const batch = a.batch, drivers = layout.drivers;
  const insert = await insertBoth(stores, { baseMs, drivers, total: a.insertRows, batch });
  progress(`insert rows/s: part ${insert.part.rowsPerS}, plain ${insert.plain.rowsPerS}`);
  baseMs = Math.max(Date.now(), nextBaseMs(baseMs, drivers, a.insertRows));
  const removed = new Set(o.stored.slice(0, 2));
  const removal = await _removals(admin, stores, a, {
    ...o,
    drivers,
    oldest: [...removed],
    baseMs,
  }, progress);
  let cluster = null;
  const recent = days.filter((day) => !removed.has(layout.firstDayMs + day * DAY_MS))
    .slice(-a.clusterDays);
  if (a.clusterDays > 0 && recent.length > 0) {
    progress(`clustering ${recent.length} recent day partitions, then reading their hours`);
    cluster = await clusterAndRead(admin, stores, { ...o, days: recent, reads: a.reads, rng });
    const r = cluster.hourRead;
    progress(`clustered hour read p99: part ${r.part.p99} ms, plain ${r.plain.p99} ms`);
  }
  return { hourRead, orderTrack, insert, removal, cluster };
}

/** Fills both tables, or keeps them with `--reuse` when their stored layout matches. */
async function _prepare(
  admin: Pool,
  a: HistoryArgs,
  part: string,
  plain: string,
  progress: (line: string) => void,
): Promise<{ layout: HistoryLayout; fill: { part: FillTimes; plain: FillTimes } | null }> {
  const layout = planLayout({ ...a, nowMs: Date.now() });
  if (a.reuse) {
    const [p, q] = [await storedLayout(admin, part), await storedLayout(admin, plain)];
    const same = (x: HistoryLayout | undefined) =>
      x !== undefined && x.rows === layout.rows && x.days === layout.days &&
      x.drivers === layout.drivers && x.shiftFixes === layout.shiftFixes;
    if (same(p) && same(q) && p!.firstDayMs === q!.firstDayMs) {
      progress(`reusing ${part} and ${plain} (${layout.rows} rows each)`);
      return { layout: p!, fill: null };
    }
  }
  progress(`filling ${part} and ${plain} with ${layout.rows} rows each`);
  const fillPart = await buildTable(admin, part, true, layout, progress);
  const fillPlain = await buildTable(admin, plain, false, layout, progress);
  return { layout, fill: { part: fillPart, plain: fillPlain } };
}

/**
 * Removes the oldest day three ways while a writer flushes into today: `DROP TABLE` of its
 * partition, `DETACH PARTITION ... CONCURRENTLY` + `DROP TABLE` of the next, and a `DELETE` of
 * the first day from the plain table.
 */
async function _removals(
  admin: Pool,
  stores: { part: PostgresHistoryStore; plain: PostgresHistoryStore },
  a: HistoryArgs,
  o: { part: string; plain: string; drivers: number; oldest: number[]; baseMs: number },
  progress: (line: string) => void,
): Promise<RemovalSet> {
  const writer = { drivers: o.drivers, batch: a.batch, flushEveryMs: a.flushEveryMs };
  const windows = { beforeMs: a.dropBeforeMs, afterMs: a.dropAfterMs };
  let baseMs = o.baseMs;
  const run = async (store: PostgresHistoryStore, remove: () => Promise<_Removed>) => {
    const r = await measureRemoval({ ...writer, store, baseMs }, remove, windows);
    baseMs = Math.max(Date.now(), nextBaseMs(baseMs, o.drivers, r.rowsWritten));
    progress(`${r.statements.join("; ")}: ${r.durationMs} ms, writer max ${r.during.max} ms`);
    return r;
  };
  const count = async (table: string) =>
    Number((await admin.unsafe(`SELECT count(*)::text AS n FROM ${table}`))[0]?.n ?? 0);
  const [first, second] = o.oldest;
  const set: RemovalSet = { dropTable: null, detachConcurrently: null, plainDelete: null };
  if (first !== undefined) {
    const table = `${o.part}.${partitionName(first)}`;
    const rows = await count(table);
    set.dropTable = await run(stores.part, async () => {
      const statements = [`DROP TABLE ${table}`];
      for (const s of statements) await admin.unsafe(s);
      return { statements, rowsRemoved: rows };
    });
  }
  if (second !== undefined) {
    const table = `${o.part}.${partitionName(second)}`;
    const rows = await count(table);
    set.detachConcurrently = await run(stores.part, async () => {
      const statements = [
        `ALTER TABLE ${o.part}.driver_locations DETACH PARTITION ${table} CONCURRENTLY`,
        `DROP TABLE ${table}`,
      ];
      for (const s of statements) await admin.unsafe(s);
      return { statements, rowsRemoved: rows };
    });
  }
  if (first !== undefined && !a.skipPlainDelete) {
    const statement = `DELETE FROM ${o.plain}.driver_locations WHERE ts >= ${first} AND ts < ${
      first + DAY_MS
    }`;
    set.plainDelete = await run(stores.plain, async () => {
      const result = await admin.unsafe(statement);
      return { statements: [statement], rowsRemoved: result.count };
    });
  }
  return set;
}

type _Removed = { statements: string[]; rowsRemoved: number };

async function _machine(admin: Pool, loadBefore: number[]): Promise<HistoryReport["machine"]> {
  const [v] = await admin<{ version: string; shared_buffers: string }[]>`
    SELECT version(), current_setting('shared_buffers') AS shared_buffers`;
  return {
    cpus: navigator.hardwareConcurrency,
    memoryBytes: Deno.systemMemoryInfo().total,
    loadAverageBefore: loadBefore,
    loadAverageAfter: Deno.loadavg(),
    postgres: v?.version ?? "",
    sharedBuffers: v?.shared_buffers ?? "",
  };
}

function _redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = "***";
  return u.href;
}

if (import.meta.main) {
  const args = parseHistoryArgs(Deno.args, Deno.env.toObject());
  if (args.help) {
    console.log(HISTORY_USAGE);
    Deno.exit(0);
  }
  const t0 = performance.now();
  const log = (line: string) =>
    args.quiet || console.error(`[${((performance.now() - t0) / 1000).toFixed(1)} s] ${line}`);
  const report = await runHistoryScale(args, log);
  const json = JSON.stringify(report, null, 2);
  console.log(json);
  if (args.out) {
    const stamp = report.date.slice(0, 16).replace(":", "");
    const path = `${args.out.replace(/\/?$/, "/")}${stamp}-history.json`;
    await Deno.writeTextFile(path, json + "\n");
    log(`wrote ${path}`);
  }
}
