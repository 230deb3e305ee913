import type { HistoryArgs } from "./history_args.ts";
import type { ClusterResult } from "./history_cluster.ts";
import type { RemovalResult } from "./history_drop.ts";
import type { HistoryLayout } from "./history_layout.ts";
import type { InsertResult, ReadResult } from "./history_probes.ts";
import type { FillTimes, TableSizes } from "./history_tables.ts";

/** The day removals of one run (null: not run, e.g. no partition old enough). */
export interface RemovalSet {
  /** `DROP TABLE` of the oldest day's partition */
  dropTable: RemovalResult | null;
  /** `DETACH PARTITION ... CONCURRENTLY`, then `DROP TABLE`, of the next oldest */
  detachConcurrently: RemovalResult | null;
  /** `DELETE` of the oldest day from the unpartitioned table */
  plainDelete: RemovalResult | null;
}

/** One target of issue #13 and whether this run met it. */
export interface Target {
  target: string;
  value: number | null;
  met: boolean;
}

/** The targets. */
export interface HistoryTargets {
  /** one-hour read p99 on the partitioned table under 20 ms */
  hourReadP99: Target;
  /** partitioned insert rows/s at least 90% of the unpartitioned table's */
  insertThroughput: Target;
  /** `DROP TABLE` of a day's partition under a second */
  dropDuration: Target;
  /** no writer flush overlapping the drop over 100 ms slower than the slowest before it */
  noWriterStall: Target;
}

/** The JSON report of `bench/history/history_scale.ts`. */
export interface HistoryReport {
  date: string;
  wallSeconds: number;
  machine: {
    cpus: number;
    memoryBytes: number;
    /** 1, 5, 15 min load averages when the run started and ended */
    loadAverageBefore: number[];
    loadAverageAfter: number[];
    postgres: string;
    sharedBuffers: string;
  };
  params: HistoryArgs;
  schemas: { part: string; plain: string };
  layout: HistoryLayout;
  /** null when the tables were reused (`--reuse`) */
  fill: { part: FillTimes; plain: FillTimes } | null;
  /** sizes after the fill, before the run's inserts and removals */
  sizes: { part: TableSizes; plain: TableSizes };
  hourRead: ReadResult;
  orderTrack: ReadResult;
  insert: InsertResult;
  removal: RemovalSet;
  /** recent day partitions rewritten in key order, then read (null with --cluster-days 0) */
  cluster: ClusterResult | null;
  targets: HistoryTargets;
}

/** Checks the targets against the measurements. */
export function targetsOf(
  hourRead: ReadResult,
  insert: InsertResult,
  removal: RemovalSet,
): HistoryTargets {
  const drop = removal.dropTable;
  return {
    hourReadP99: {
      target: "one-hour read p99 < 20 ms (partitioned)",
      value: hourRead.part.p99,
      met: hourRead.part.p99 < 20,
    },
    insertThroughput: {
      target: "partitioned insert rows/s >= 90% of unpartitioned",
      value: insert.ratio,
      met: insert.ratio >= 0.9,
    },
    dropDuration: {
      target: "DROP TABLE of a day partition < 1000 ms",
      value: drop?.durationMs ?? null,
      met: drop !== null && drop.durationMs < 1000,
    },
    noWriterStall: {
      target: "no writer flush during the drop > slowest flush before it + 100 ms",
      value: drop?.during.max ?? null,
      met: drop !== null && !drop.writerStalled,
    },
  };
}
