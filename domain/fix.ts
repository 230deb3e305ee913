import { z } from "zod";

// A custom check, so the range rules (`fix_filter.ts`) give the error codes; `meta` says what it
// is in JSON Schema.
const number = z.custom<number>((v) => typeof v === "number", "must be a number")
  .meta({ type: "number" });
const optionalNumber = number.optional();

/** One GPS fix as a driver sends it. */
export const fixSchema = z.object({
  lat: number,
  lon: number,
  ts: number,
  speed: optionalNumber,
  heading: optionalNumber,
  accuracy: optionalNumber,
});

/** A fix as received from the driver. */
export type Fix = z.infer<typeof fixSchema>;
