import type { HistoryRange } from "../../domain/history_store.ts";
import type { Sql } from "./connect_postgres.ts";
import type { LocationDbRow } from "./location_from_row.ts";

/**
 * `SELECT <every column> FROM driver_locations WHERE driver_id = … [AND ts >= from] [AND ts <= to]
 * [AND ts > after] ORDER BY ts ASC`, for the history page and the history cursor alike. It works on
 * the plain table and on one partitioned by day on `ts` (only the days in range are read). Throws a
 * `RangeError` for a bound that is not an integer epoch ms.
 */
export function historyRangeSql(sql: Sql, driverId: string, range: HistoryRange) {
  const { from, to, after } = range;
  for (const [name, value] of [["from", from], ["to", to], ["after", after]] as const) {
    if (value !== undefined && !Number.isSafeInteger(value)) {
      throw new RangeError(`${name} must be an integer epoch ms, got ${value}`);
    }
  }
  return sql<LocationDbRow[]>`
    SELECT driver_id, seq, ts, lat, lon, speed, heading, accuracy, region, received_at
    FROM driver_locations
    WHERE driver_id = ${driverId}
      ${from === undefined ? sql`` : sql`AND ts >= ${from}`}
      ${to === undefined ? sql`` : sql`AND ts <= ${to}`}
      ${after === undefined ? sql`` : sql`AND ts > ${after}`}
    ORDER BY ts ASC`;
}
