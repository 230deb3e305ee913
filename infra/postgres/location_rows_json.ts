import type { LocationRecord } from "../../domain/location_record.ts";

/**
 * The rows as one JSON array for `INSERT ... SELECT ... FROM json_to_recordset($1::json)`: one
 * bind parameter whatever the row count, serialized by the runtime's own `JSON.stringify` (the
 * per-element escaping of ten PostgreSQL array literals cost the service more; see
 * docs/performance.md). Checks first what PostgreSQL would otherwise reject mid-batch: `seq`,
 * `ts` and `receivedAt` must be safe integers and `lat`/`lon` finite; throws a `RangeError`
 * naming the row index. A missing or non-finite optional measurement becomes SQL NULL; keys
 * other than the record's are ignored by the column list.
 */
export function locationRowsJson(rows: readonly LocationRecord[]): string {
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (
      !Number.isSafeInteger(row.seq) || !Number.isSafeInteger(row.ts) ||
      !Number.isSafeInteger(row.receivedAt)
    ) {
      throw new RangeError(`row ${i}: seq, ts and receivedAt must be safe integers`);
    }
    if (!Number.isFinite(row.lat) || !Number.isFinite(row.lon)) {
      throw new RangeError(`row ${i}: lat and lon must be finite`);
    }
  }
  return JSON.stringify(rows);
}

/** The column list that reads {@linkcode locationRowsJson}'s rows back, in table order. */
export const LOCATION_RECORDSET_COLUMNS = `"driverId" text, seq bigint, ts bigint, lat float8, ` +
  `lon float8, speed real, heading real, accuracy real, region text, "receivedAt" bigint`;
