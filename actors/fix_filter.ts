import type { ErrorCode, Fix } from "./driver_protocol.ts";
import { haversineMeters } from "./geo.ts";

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
}

/** The defaults: 10 s of clock skew, 70 m/s (252 km/h), reset after 3 speed rejections. */
export const DEFAULT_FIX_RULES: FixRules = {
  futureMarginMs: 10_000,
  maxSpeedMps: 70,
  speedRejectsBeforeReset: 3,
};

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
  for (const [name, value] of Object.entries(fix)) {
    if (typeof value === "number" && !Number.isFinite(value)) {
      return _no("not_finite", `${name} must be a finite number`);
    }
  }
  if (lat < -90 || lat > 90) return _no("out_of_range", `lat ${lat} is outside [-90, 90]`);
  if (lon < -180 || lon > 180) return _no("out_of_range", `lon ${lon} is outside [-180, 180]`);
  if (lat === 0 && lon === 0) return _no("null_island", "(0, 0) is a GPS fault, not a position");
  if (!Number.isInteger(ts) || ts <= 0) {
    return _no("invalid_frame", "ts must be epoch milliseconds");
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
