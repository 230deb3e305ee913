import { z } from "zod";

/** Schema of one accepted fix as it travels through the driver-locations topic. */
export const locationRecordSchema = z.object({
  driverId: z.string().min(1),
  seq: z.number().int().nonnegative(),
  ts: z.number().int().nonnegative(),
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  speed: z.number().optional(),
  heading: z.number().optional(),
  accuracy: z.number().optional(),
  region: z.string().min(1),
  receivedAt: z.number().int().nonnegative(),
});

/** One accepted fix, keyed by `driverId` in Kafka. */
export type LocationRecord = z.infer<typeof locationRecordSchema>;

/** Serializes a record for Kafka. */
export function encodeLocationRecord(record: LocationRecord): string {
  return JSON.stringify(record);
}

/** Parses and validates a record read from Kafka; throws on anything malformed. */
export function decodeLocationRecord(text: string): LocationRecord {
  return locationRecordSchema.parse(JSON.parse(text));
}
