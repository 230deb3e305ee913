import type { Fix } from "./fix.ts";
import type { ErrorCode } from "./error_codes.ts";
import { haversineMeters } from "./geo.ts";
import { SHARED_DEFAULTS } from "./shared_defaults.ts";

/** Limits a fix must respect. */
export interface FixRules {
  /** How far in the future (ms) a fix's `ts` may be, to allow for clock skew. */
  readonly futureMarginMs: number;
  /** Fastest plausible movement between two fixes, metres per second. */
  readonly maxSpeedMps: number;
  /**
   * After this many fixes in a row rejected for speed, the next one is accepted: the fix they
   * were judged against was probably the wrong one, and the driver must not be stuck behind it.
   */
  readonly speedRejectsBeforeReset: number;
  /**
   * Oldest a fix may be, ms before now: the history retention (`HISTORY_RETENTION_DAYS`). An
   * older fix could never be stored (its day is not kept), so it is refused as `too_old` before
   * it is published, instead of being acked and then dead-lettered by the history writer.
   */
  readonly maxAgeMs: number;
}

const _DAY_MS = 86_400_000;

/**
 * The defaults: 10 s of clock skew, 70 m/s (252 km/h), reset after 3 speed rejections, fixes
 * up to the default history retention (30 days) old.
 */
export const DEFAULT_FIX_RULES: FixRules = {
  futureMarginMs: 10_000,
  maxSpeedMps: 70,
  speedRejectsBeforeReset: 3,
  maxAgeMs: SHARED_DEFAULTS.historyRetentionDays * _DAY_MS,
};

/** {@linkcode FixRules.maxAgeMs} for a history retention of `days` days. */
export function maxFixAgeMs(days: number): number {
  return days * _DAY_MS;
}

/** What the filter knows of the last accepted fix. */
export interface LastFix {
  readonly lat: number;
  readonly lon: number;
  readonly ts: number;
}

/** The filter's verdict on one fix. */
export type FixVerdict =
  | { readonly ok: true }
  | { readonly ok: false; readonly code: ErrorCode; readonly message: string };

const OK: FixVerdict = { ok: true };

/** A fix's number fields, in the order `fixSchema` lists them (the first bad one is named). */
const _NUMBER_FIELDS = ["lat", "lon", "ts", "speed", "heading", "accuracy"] as const;

/**
 * The oldest `ts` accepted as epoch ms: 2000-01-01T00:00:00Z. A `ts` in epoch seconds (about
 * 1.8e9 today) is far below it, so it is refused as `timestamp_not_ms` instead of being stored
 * as a fix from January 1970. Past this bound, a fix older than the history retention
 * ({@linkcode FixRules.maxAgeMs}) is `too_old`; fixes buffered offline for days are accepted.
 */
export const MIN_FIX_TS = Date.UTC(2000, 0, 1);

/**
 * Plausible ranges of the optional measurements, inclusive. The `real` columns could hold far
 * more, but a value outside these is a device fault or an attack, not a measurement.
 */
export const MEASUREMENT_RANGES = {
  /** Metres per second (150 m/s = 540 km/h; delivery drivers stay far below). */
  speed: [0, 150],
  /** Degrees clockwise from north. */
  heading: [0, 360],
  /** Metres of horizontal uncertainty (100 km; a cell-tower fix may be a few km). */
  accuracy: [0, 100_000],
} as const;

/**
 * Below this magnitude a measurement is stored as 0: far under any sensor's resolution, and
 * keeps denormal values (1e-50) that a PostgreSQL `real` cannot hold out of the database.
 */
export const MEASUREMENT_FLUSH_BELOW = 1e-6;

/**
 * Judges one fix against the rules and the last accepted fix. Pure; `speedRejects` is the
 * number of consecutive speed rejections so far.
 */
export function judgeFix(
  fix: Fix,
  context: { last: LastFix | undefined; now: number; speedRejects: number },
  rules: FixRules = DEFAULT_FIX_RULES,
): FixVerdict {
  const { lat, lon, ts } = fix;
  // Field by field, not `Object.entries`: that made an array per field of every fix.
  for (const name of _NUMBER_FIELDS) {
    const value = fix[name];
    if (typeof value === "number" && !Number.isFinite(value)) {
      return _no("not_finite", `${name} must be a finite number`);
    }
  }
  if (lat < -90 || lat > 90) return _no("out_of_range", `lat ${lat} is outside [-90, 90]`);
  if (lon < -180 || lon > 180) return _no("out_of_range", `lon ${lon} is outside [-180, 180]`);
  if (lat === 0 && lon === 0) return _no("null_island", "(0, 0) is a GPS fault, not a position");
  for (const name of ["speed", "heading", "accuracy"] as const) {
    const value = fix[name];
    const [min, max] = MEASUREMENT_RANGES[name];
    if (value !== undefined && (value < min || value > max)) {
      const hint = value < 0 ? " (omit the field when the device does not know it)" : "";
      return _no("out_of_range", `${name} ${value} is outside [${min}, ${max}]${hint}`);
    }
  }
  if (!Number.isInteger(ts) || ts <= 0) {
    return _no("invalid_frame", "ts must be epoch milliseconds");
  }
  if (ts < MIN_FIX_TS) {
    return _no(
      "timestamp_not_ms",
      `ts ${ts} is before 2000-01-01: send epoch milliseconds, not seconds`,
    );
  }
  if (ts < context.now - rules.maxAgeMs) {
    return _no(
      "too_old",
      `ts ${ts} is more than ${rules.maxAgeMs / _DAY_MS} days old: older than the history ` +
        "retention, it can never be stored",
    );
  }
  if (ts > context.now + rules.futureMarginMs) {
    return _no("future_timestamp", `ts is ${ts - context.now} ms in the future`);
  }
  const last = context.last;
  if (!last) return OK;
  if (ts === last.ts) return _no("duplicate", `a fix with ts ${ts} was already accepted`);
  if (ts < last.ts) return _no("stale", `ts ${ts} is older than the last accepted ${last.ts}`);
  const metres = haversineMeters(last.lat, last.lon, lat, lon);
  const mps = metres / ((ts - last.ts) / 1000);
  if (mps > rules.maxSpeedMps && context.speedRejects < rules.speedRejectsBeforeReset) {
    return _no("impossible_speed", `${Math.round(mps)} m/s since the last fix is not plausible`);
  }
  return OK;
}

function _no(code: ErrorCode, message: string): FixVerdict {
  return { ok: false, code, message };
}

/**
 * The fix as it will be stored: measurements closer to 0 than
 * {@linkcode MEASUREMENT_FLUSH_BELOW} become 0. Call it on fixes {@linkcode judgeFix} accepted.
 * A fix with nothing to change is returned as it is (this runs on every fix).
 */
export function storableFix(fix: Fix): Fix {
  const { speed, heading, accuracy } = fix;
  if (!_flushed(speed) && !_flushed(heading) && !_flushed(accuracy)) return fix;
  const out: Fix = { ...fix };
  if (_flushed(speed)) out.speed = 0;
  if (_flushed(heading)) out.heading = 0;
  if (_flushed(accuracy)) out.accuracy = 0;
  return out;
}

/** Whether `value` becomes 0 when stored (-0 included). */
function _flushed(value: number | undefined): boolean {
  return value !== undefined && Math.abs(value) < MEASUREMENT_FLUSH_BELOW && !Object.is(value, 0);
}
