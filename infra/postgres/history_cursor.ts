import type { Sql } from "./connect_postgres.ts";
import type { LocationRecord } from "../../domain/location_record.ts";
import type { HistoryRange } from "../../domain/history_store.ts";
import { locationFromRow } from "./location_from_row.ts";
import { historyRangeSql } from "./history_range_sql.ts";

export type { HistoryRange };

/** Rows per cursor fetch of {@linkcode historyCursor} by default. */
export const HISTORY_CURSOR_ROWS = 1000;

/**
 * One driver's fixes in ascending `ts`, `rows` at a time, from a server-side cursor
 * (postgres.js `.cursor()`): the next batch is fetched only when the previous one has been
 * taken, so any range is read in constant memory. The cursor holds one pool connection until
 * it is done or `return()` is called. The query (`driver_id = $1 AND ts ...`) works on the
 * plain table and on one partitioned by day on `ts`.
 */
export function historyCursor(
  sql: Sql,
  driverId: string,
  range: HistoryRange,
  rows: number = HISTORY_CURSOR_ROWS,
): AsyncIterator<LocationRecord[]> {
  const batches = historyRangeSql(sql, driverId, range).cursor(rows)[Symbol.asyncIterator]();
  return {
    next: async () => {
      const step = await batches.next();
      return step.done ? step : { done: false, value: step.value.map(locationFromRow) };
    },
    return: async () => {
      await batches.return?.();
      return { done: true, value: undefined };
    },
  };
}
