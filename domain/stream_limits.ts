/**
 * The defaults of the history stream budget (`MAX_STREAMS`, `MAX_STREAMS_PER_PRINCIPAL`,
 * `STREAM_STALL_MS`, `STREAM_MAX_MS`), written once: `infra/config.ts` takes them for its settings,
 * and `routes/stream_budget.ts` falls back on them when an option is left out (route tests).
 * docs/limits.md ("History streams") explains them.
 */
export const STREAM_LIMITS = {
  /**
   * `MAX_STREAMS`: cursor-backed streams this instance serves at once, and the size of the
   * database pool they read from (their own, apart from the main pool of 10).
   */
  maxStreams: 4,
  /** `MAX_STREAMS_PER_PRINCIPAL`: streams one principal (role + sub) may have open at once. */
  maxPerPrincipal: 2,
  /** `STREAM_STALL_MS`: a stream whose reader takes nothing for this long is ended, ms. */
  stallMs: 10_000,
  /** `STREAM_MAX_MS`: no stream lasts longer than this, ms (10 min). */
  maxMs: 600_000,
  /** `Retry-After` of a refused stream, seconds. */
  retryAfterS: 5,
} as const;
