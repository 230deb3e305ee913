/** A counter with labels (a prom-client `Counter` fits). */
export interface LabelledCounter<L extends string> {
  /** Adds `value` (default 1) to the series of these labels. */
  inc(labels: Partial<Record<L, string | number>>, value?: number): void;
}

/** A counter without labels. */
export interface PlainCounter {
  /** Adds `value` (default 1). */
  inc(value?: number): void;
}

/** A histogram (a prom-client `Histogram` fits). */
export interface Observer {
  /** Records one observation. */
  observe(value: number): void;
}

/** A gauge (a prom-client `Gauge` fits). */
export interface Setter {
  /** Sets the value. */
  set(value: number): void;
}

/**
 * The metrics actors record into. The Prometheus `Metrics` of `infra/metrics.ts` has them all;
 * actors see only this, so they never import `infra/`.
 */
export interface TrackingMetrics {
  /** Fixes accepted by driver actors, by region. */
  readonly fixesAccepted: LabelledCounter<"region">;
  /** Fixes and frames rejected, by error code. */
  readonly fixesRejected: LabelledCounter<"reason">;
  /** Rows in each history flush. */
  readonly flushRows: Observer;
  /** Duration of each history flush, seconds. */
  readonly flushSeconds: Observer;
  /** History flushes that failed and will be retried. */
  readonly flushFailures: PlainCounter;
  /** Records set aside because they cannot be stored, by topic. */
  readonly deadLetters: LabelledCounter<"topic">;
}

/**
 * What a retention round records (the RetentionActor); `RetentionMetrics` in
 * `infra/retention_metrics.ts` implements it.
 */
export interface RetentionRoundMetrics {
  /** History day partitions created, by reason: `ahead` (maintainer) or `on_demand` (insert). */
  readonly partitionsCreated: LabelledCounter<"reason">;
  /** History day partitions dropped past `HISTORY_RETENTION_DAYS`. */
  readonly partitionsDropped: PlainCounter;
  /** History day partitions that exist, as of the last retention round. */
  readonly partitions: Setter;
  /** Rows deleted past `ORDER_RETENTION_DAYS`, by table (`orders`, `notifications`). */
  readonly rowsDeleted: LabelledCounter<"table">;
  /** Retention rounds by result: `done`, `skipped`, `failed`. */
  readonly runs: LabelledCounter<"result">;
}
