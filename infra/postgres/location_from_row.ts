import type { LocationRecord } from "../../domain/location_record.ts";

/** A `driver_locations` row as postgres.js returns it (bigint columns come as text). */
export interface LocationDbRow {
  driver_id: string;
  seq: string;
  ts: string;
  lat: number;
  lon: number;
  speed: number | null;
  heading: number | null;
  accuracy: number | null;
  region: string;
  received_at: string;
}

/** The location record a stored row holds; NULL optional columns are left out. */
export function locationFromRow(r: LocationDbRow): LocationRecord {
  const record: LocationRecord = {
    driverId: r.driver_id,
    seq: Number(r.seq),
    ts: Number(r.ts),
    lat: r.lat,
    lon: r.lon,
    region: r.region,
    receivedAt: Number(r.received_at),
  };
  if (r.speed !== null) record.speed = r.speed;
  if (r.heading !== null) record.heading = r.heading;
  if (r.accuracy !== null) record.accuracy = r.accuracy;
  return record;
}
