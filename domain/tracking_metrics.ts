/** A counter with labels (a prom-client `Counter` fits). */
export interface LabelledCounter<L extends string> {
  /** Adds one to the series of these labels. */
  inc(labels: Partial<Record<L, string | number>>): void;
}

/** A counter without labels. */
export interface PlainCounter {
  /** Adds one. */
  inc(): void;
}

/** A histogram (a prom-client `Histogram` fits). */
export interface Observer {
  /** Records one observation. */
  observe(value: number): void;
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
