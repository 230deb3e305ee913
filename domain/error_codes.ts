/**
 * Every error code of `{"type":"error"}` frames, on every socket: one table (`docs/errors.md`
 * documents each). Order commands answer with these codes too.
 */
export const ERROR_CODES = [
  "frame_too_large",
  "invalid_json",
  "unknown_type",
  "invalid_frame",
  "batch_too_large",
  "not_finite",
  "out_of_range",
  "null_island",
  "future_timestamp",
  "timestamp_not_ms",
  "duplicate",
  "stale",
  "too_old",
  "impossible_speed",
  "busy",
  "unavailable",
  "not_supported",
  "rate_limited",
  "order_not_found",
  "not_your_order",
  "invalid_transition",
] as const;

/** One of {@linkcode ERROR_CODES}. */
export type ErrorCode = typeof ERROR_CODES[number];

/** Error codes of `{"type":"error"}` frames on viewer sockets. */
export const VIEWER_ERROR_CODES = [
  "rate_limited",
  "invalid_frame",
  "frame_too_large",
] as const satisfies readonly ErrorCode[];
