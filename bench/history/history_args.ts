import { parseArgs } from "node:util";

/** Parsed command line of `bench/history/history_scale.ts`. */
export interface HistoryArgs {
  /** database of the benchmark; created when missing */
  databaseUrl: string;
  /** prefix of the two schemas: `<prefix>part` (partitioned) and `<prefix>plain` */
  schemaPrefix: string;
  /** synthetic rows per table (rounded to whole shifts) */
  rows: number;
  /** days of history before today */
  days: number;
  drivers: number;
  /** length of one driver's shift, one fix every ~5 s */
  shiftMinutes: number;
  /** one-hour history reads per table */
  reads: number;
  /** order tracks read per table */
  tracks: number;
  /** rows the history writer inserts into each table, in batches of `batch` */
  insertRows: number;
  batch: number;
  /** writer flush period during the drop test, ms */
  flushEveryMs: number;
  /** writer time before and after each removal in the drop test, ms */
  dropBeforeMs: number;
  dropAfterMs: number;
  /** recent day partitions to CLUSTER by primary key, then read (0: none) */
  clusterDays: number;
  /** skip the plain table's `DELETE` of a day (a long scan at 50 M rows) */
  skipPlainDelete: boolean;
  /** keep tables already filled with the same shape instead of filling again */
  reuse: boolean;
  /** drop both schemas at the end */
  cleanup: boolean;
  seed: number;
  /** directory of the JSON result (empty: do not write one) */
  out: string;
  quiet: boolean;
  help: boolean;
}

/** Usage text of `deno task bench:history`. */
export const HISTORY_USAGE = `deno task bench:history [options]
  --database-url URL   benchmark database, created when missing
                       (default postgres://postgres@127.0.0.1:5432/history_bench)
  --schema-prefix P    schemas P + "part" (partitioned by UTC day) and P + "plain" (default "")
  --rows N             synthetic rows per table (default 50000000)
  --days N             days of history before today (default 30)
  --drivers N          drivers (default 10000)
  --shift-minutes N    one shift of fixes every ~5 s (default 60)
  --reads N            one-hour history reads per table (default 1000)
  --tracks N           order tracks (20-40 min) read per table (default 1000)
  --insert-rows N      rows the history writer inserts into each table (default 200000)
  --batch N            rows per insert batch (default 1000)
  --flush-every MS     writer flush period during the drop test (default 100)
  --drop-before MS     writer time before each removal (default 5000)
  --drop-after MS      writer time after each removal (default 3000)
  --cluster-days N     at the end, CLUSTER the N most recent day partitions by primary key
                       and read their hours again, against the plain table (default 2)
  --skip-plain-delete  skip DELETE of a day from the unpartitioned table
  --reuse              keep tables already filled with the same rows/days/drivers/shift
  --cleanup            drop both schemas at the end
  --seed N             random seed of the reads (default 1)
  --out DIR            where <date>-history.json goes (default bench/results; "" = nowhere)
  --quiet              no progress on stderr`;

/** The `parseArgs` options of `history_scale.ts` (numbers come as strings, checked after). */
const _OPTIONS = {
  "database-url": { type: "string" },
  "schema-prefix": { type: "string" },
  rows: { type: "string" },
  days: { type: "string" },
  drivers: { type: "string" },
  "shift-minutes": { type: "string" },
  reads: { type: "string" },
  tracks: { type: "string" },
  "insert-rows": { type: "string" },
  batch: { type: "string" },
  "flush-every": { type: "string" },
  "drop-before": { type: "string" },
  "drop-after": { type: "string" },
  "cluster-days": { type: "string" },
  "skip-plain-delete": { type: "boolean" },
  reuse: { type: "boolean" },
  cleanup: { type: "boolean" },
  seed: { type: "string" },
  out: { type: "string" },
  quiet: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** Parses the command line of `bench/history/history_scale.ts`. */
export function parseHistoryArgs(
  args: string[],
  env: Record<string, string | undefined> = {},
): HistoryArgs {
  const { values: v } = parseArgs({ args, options: _OPTIONS });
  const prefix = v["schema-prefix"] ?? "";
  if (!/^[a-z_][a-z0-9_]{0,40}$|^$/.test(prefix)) {
    throw new RangeError("--schema-prefix must be lower-case letters, digits and _");
  }
  return {
    databaseUrl: v["database-url"] ?? env.HISTORY_BENCH_URL ??
      "postgres://postgres@127.0.0.1:5432/history_bench",
    schemaPrefix: prefix,
    rows: _int("rows", v.rows, 50_000_000),
    days: _int("days", v.days, 30, 3),
    drivers: _int("drivers", v.drivers, 10_000),
    shiftMinutes: _int("shift-minutes", v["shift-minutes"], 60, 20),
    reads: _int("reads", v.reads, 1000),
    tracks: _int("tracks", v.tracks, 1000),
    insertRows: _int("insert-rows", v["insert-rows"], 200_000),
    batch: _int("batch", v.batch, 1000),
    flushEveryMs: _int("flush-every", v["flush-every"], 100, 0),
    dropBeforeMs: _int("drop-before", v["drop-before"], 5000, 0),
    dropAfterMs: _int("drop-after", v["drop-after"], 3000, 0),
    clusterDays: _int("cluster-days", v["cluster-days"], 2, 0),
    skipPlainDelete: v["skip-plain-delete"] ?? false,
    reuse: v.reuse ?? false,
    cleanup: v.cleanup ?? false,
    seed: _int("seed", v.seed, 1, 0),
    out: v.out ?? new URL("../results/", import.meta.url).pathname,
    quiet: v.quiet ?? false,
    help: v.help ?? false,
  };
}

/** A whole-number option `--name` of at least `min`, or `fallback` when absent. */
function _int(name: string, s: string | undefined, fallback: number, min = 1): number {
  if (s === undefined) return fallback;
  const n = Number(s);
  if (!Number.isSafeInteger(n) || n < min) {
    throw new RangeError(`--${name} must be a whole number >= ${min}`);
  }
  return n;
}
