import type { LocationRecord } from "../../domain/location_record.ts";

/**
 * Column arrays for `INSERT ... SELECT * FROM unnest($1::text[], ...)`:
 * one bind parameter per column whatever the row count.
 */
export interface LocationColumns {
  driverId: string[];
  seq: number[];
  ts: number[];
  lat: number[];
  lon: number[];
  speed: (number | null)[];
  heading: (number | null)[];
  accuracy: (number | null)[];
  region: string[];
  receivedAt: number[];
}

/**
 * Turns rows into column arrays, checking what PostgreSQL would otherwise
 * reject mid-batch: `seq`, `ts` and `receivedAt` must be safe integers and
 * `lat`/`lon` finite. Throws a `RangeError` naming the row index.
 */
export function toLocationColumns(rows: readonly LocationRecord[]): LocationColumns {
  const c: LocationColumns = {
    driverId: [],
    seq: [],
    ts: [],
    lat: [],
    lon: [],
    speed: [],
    heading: [],
    accuracy: [],
    region: [],
    receivedAt: [],
  };
  rows.forEach((row, i) => {
    if (
      !Number.isSafeInteger(row.seq) || !Number.isSafeInteger(row.ts) ||
      !Number.isSafeInteger(row.receivedAt)
    ) {
      throw new RangeError(`row ${i}: seq, ts and receivedAt must be safe integers`);
    }
    if (!Number.isFinite(row.lat) || !Number.isFinite(row.lon)) {
      throw new RangeError(`row ${i}: lat and lon must be finite`);
    }
    c.driverId.push(row.driverId);
    c.seq.push(row.seq);
    c.ts.push(row.ts);
    c.lat.push(row.lat);
    c.lon.push(row.lon);
    c.speed.push(_optional(row.speed));
    c.heading.push(_optional(row.heading));
    c.accuracy.push(_optional(row.accuracy));
    c.region.push(row.region);
    c.receivedAt.push(row.receivedAt);
  });
  return c;
}

/** SQL NULL for a missing or non-finite optional measurement. */
function _optional(value: number | undefined): number | null {
  return value !== undefined && Number.isFinite(value) ? value : null;
}
