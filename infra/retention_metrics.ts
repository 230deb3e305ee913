import { Counter, Gauge, type Registry } from "prom-client";
import type { RetentionRoundMetrics } from "../domain/tracking_metrics.ts";

/**
 * Metrics of storage retention (history partitions, order pruning), registered in the
 * service's registry beside {@linkcode Metrics}; create one per registry.
 */
export class RetentionMetrics implements RetentionRoundMetrics {
  /** History day partitions created, by reason: `ahead` (maintainer) or `on_demand` (insert). */
  readonly partitionsCreated: Counter<"reason">;
  /** History day partitions dropped past `HISTORY_RETENTION_DAYS`. */
  readonly partitionsDropped: Counter;
  /** History day partitions that exist, as of the last retention round. */
  readonly partitions: Gauge;
  /**
   * Rows deleted past `ORDER_RETENTION_DAYS` (`orders`, `notifications`) and
   * `DEAD_LETTER_RETENTION_DAYS` (`dead_letters`), by table.
   */
  readonly rowsDeleted: Counter<"table">;
  /** Retention rounds by result: `done`, `skipped` (another instance held the lock), `failed`. */
  readonly runs: Counter<"result">;

  /** Registers the metrics in `registry`. */
  constructor(registry: Registry) {
    const registers = [registry];
    this.partitionsCreated = new Counter({
      name: "tracking_history_partitions_created_total",
      help: "History day partitions created, by reason (ahead, on_demand).",
      labelNames: ["reason"],
      registers,
    });
    this.partitionsDropped = new Counter({
      name: "tracking_history_partitions_dropped_total",
      help: "History day partitions dropped past HISTORY_RETENTION_DAYS.",
      registers,
    });
    this.partitions = new Gauge({
      name: "tracking_history_partitions",
      help: "History day partitions, as of the last retention round.",
      registers,
    });
    this.rowsDeleted = new Counter({
      name: "tracking_retention_rows_deleted_total",
      help: "Rows deleted by retention, by table: finished orders and their notifications " +
        "(ORDER_RETENTION_DAYS), dead letters (DEAD_LETTER_RETENTION_DAYS).",
      labelNames: ["table"],
      registers,
    });
    this.runs = new Counter({
      name: "tracking_retention_runs_total",
      help: "Retention rounds by result (done, skipped, failed).",
      labelNames: ["result"],
      registers,
    });
  }
}
