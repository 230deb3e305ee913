import { apiError } from "./api_error.ts";
import { MIN_FIX_TS } from "../domain/fix_filter.ts";

/** The last time a JavaScript `Date` holds, epoch ms (+275760-09-13): later is not a time. */
export const MAX_TIME_MS = 8.64e15;

/**
 * Parses a time query parameter: epoch milliseconds (digits) or ISO 8601 with a date and,
 * optionally, a time and offset (`2026-11-29`, `2026-11-29T13:00:00Z`). A number before
 * 2000-01-01 in ms (such as epoch seconds) is 400 `timestamp_not_ms`; one past
 * {@linkcode MAX_TIME_MS}, or anything else unreadable, is 400 `invalid_query`. Both name the
 * parameter.
 */
export function parseTimeParam(name: string, value: string): number {
  if (/^\d+$/.test(value)) {
    const ms = Number(value);
    if (!Number.isSafeInteger(ms) || ms > MAX_TIME_MS) throw _invalid(name, value);
    if (ms < MIN_FIX_TS) {
      throw apiError(
        400,
        "timestamp_not_ms",
        `${name}=${value} is before 2000-01-01 in epoch milliseconds; send epoch milliseconds ` +
          `(not seconds) or ISO 8601`,
        { field: name },
      );
    }
    return ms;
  }
  if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i.test(value)) {
    const ms = Date.parse(value);
    if (Number.isFinite(ms)) return ms;
  }
  throw _invalid(name, value);
}

function _invalid(name: string, value: string) {
  return apiError(
    400,
    "invalid_query",
    `${name}=${value} is not a time; send epoch milliseconds or ISO 8601 (2026-11-29T13:00:00Z)`,
    { field: name },
  );
}
