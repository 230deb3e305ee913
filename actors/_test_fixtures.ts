import type { LocationRecord } from "../domain/location_record.ts";

/** A stored fix of `driverId` at `ts` (seq `ts` unless given), for the actors' unit tests. */
export function fixAt(driverId: string, ts: number, seq = ts): LocationRecord {
  return { driverId, seq, ts, lat: 12.9, lon: 77.6, region: "south", receivedAt: ts };
}
