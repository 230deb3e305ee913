import { z } from "zod";
import type { Fix } from "../domain/fix.ts";

/** Knots to metres per second (1 kn = 1852 m/h). */
export const KNOTS_TO_MPS = 1852 / 3600;

const _DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** A number, or its decimal text (Java's `1.0E-5` too); never `""`, never infinite. */
export const phoneNumberSchema = z.preprocess(
  (v) => typeof v === "string" && _DECIMAL.test(v.trim()) ? Number(v) : v,
  z.number().refine(Number.isFinite, "must be a finite number"),
);

/** A phone's measurements, in the service's units; below 0 means "unknown" for the apps. */
export interface PhoneMeasurements {
  readonly speed?: number | undefined;
  readonly heading?: number | undefined;
  readonly accuracy?: number | undefined;
}

/** A fix from a phone's values: measurements below 0 are left out, the rest kept as they are. */
export function phoneFix(lat: number, lon: number, ts: number, m: PhoneMeasurements): Fix {
  const fix: Fix = { lat, lon, ts };
  if (m.speed !== undefined && m.speed >= 0) fix.speed = m.speed;
  if (m.heading !== undefined && m.heading >= 0) fix.heading = m.heading;
  if (m.accuracy !== undefined && m.accuracy >= 0) fix.accuracy = m.accuracy;
  return fix;
}
