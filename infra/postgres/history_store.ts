import type { DeadLetter } from "../../domain/dead_letter.ts";
import { RowRejectedError } from "../../domain/row_rejected_error.ts";
import type { Sql } from "./connect_postgres.ts";
import {
  HISTORY_MAX_LIMIT,
  type HistoryQuery,
  type HistoryStore,
} from "../../domain/history_store.ts";
import { LOCATION_RECORDSET_COLUMNS, locationRowsJson } from "./location_rows_json.ts";
import type { LocationRecord } from "../../domain/location_record.ts";
import {
  createDayPartitions,
  dayRefusal,
  daysOf,
  isMissingPartition,
} from "./history_partitions.ts";
import { type LocationDbRow, locationFromRow } from "./location_from_row.ts";
import { historyRangeSql } from "./history_range_sql.ts";

/** Options for {@linkcode PostgresHistoryStore}. */
export interface HistoryStoreOptions {
  /** `HISTORY_RETENTION_DAYS`: fixes of older days are refused. Default: every past day is taken. */
  retentionDays?: number;
  /** The server clock, epoch ms; default `Date.now`. */
  now?: () => number;
  /** Told the names of the day partitions an insert had to create (each is logged already). */
  onPartitionsCreated?: (names: readonly string[]) => void;
}

/**
 * {@linkcode HistoryStore} on the `driver_locations` table, one partition per UTC day (see
 * `migrations/004_partition_driver_locations.sql`). A batch is one
 * `INSERT ... SELECT ... FROM json_to_recordset($1)` with the rows as one JSON text, so any batch
 * size is one bind parameter (see `location_rows_json.ts`). A batch with a day that has no partition yet creates the
 * partitions of its days and is inserted again; a fix of a day past retention or too far ahead
 * is refused with {@linkcode RowRejectedError} naming the reason (see `dayRefusal`).
 */
export class PostgresHistoryStore implements HistoryStore {
  #sql: Sql;
  #options: HistoryStoreOptions;

  /** Uses the pool `sql`, which the caller owns and closes. */
  constructor(sql: Sql, options: HistoryStoreOptions = {}) {
    this.#sql = sql;
    this.#options = options;
  }

  /** {@inheritDoc HistoryStore.insertBatch} */
  async insertBatch(rows: readonly LocationRecord[]): Promise<number> {
    if (rows.length === 0) return 0;
    let json;
    try {
      json = locationRowsJson(rows);
    } catch (error) {
      throw new RowRejectedError((error as Error).message, { cause: error });
    }
    const window = {
      now: (this.#options.now ?? Date.now)(),
      retentionDays: this.#options.retentionDays,
    };
    for (const row of rows) {
      const refusal = dayRefusal(row.ts, window);
      if (refusal !== undefined) throw new RowRejectedError(refusal);
    }
    try {
      return await this.#insert(json);
    } catch (error) {
      if (!isMissingPartition(error)) throw _dataError(error);
    }
    const created = await createDayPartitions(
      this.#sql,
      daysOf(rows.map((r) => r.ts)),
      "on demand",
    );
    if (created.length > 0) this.#options.onPartitionsCreated?.(created);
    try {
      return await this.#insert(json);
    } catch (error) {
      throw _dataError(error);
    }
  }

  async #insert(json: string): Promise<number> {
    const result = await this.#sql`
      INSERT INTO driver_locations
        (driver_id, seq, ts, lat, lon, speed, heading, accuracy, region, received_at)
      SELECT "driverId", seq, ts, lat, lon, speed, heading, accuracy, region, "receivedAt"
      FROM json_to_recordset(${json}::text::json)
        AS r(${this.#sql.unsafe(LOCATION_RECORDSET_COLUMNS)})
      ON CONFLICT DO NOTHING`;
    return result.count;
  }

  /** {@inheritDoc HistoryStore.deadLetter} */
  async deadLetter(letters: readonly DeadLetter[]): Promise<void> {
    if (letters.length === 0) return;
    const now = Date.now();
    await this.#sql`
      INSERT INTO dead_letters (topic, partition, kafka_offset, payload, error, created_at)
      SELECT *, ${now}::bigint FROM unnest(
        ${letters.map((l) => _text(l.topic))}::text[],
        ${letters.map((l) => l.partition)}::int[],
        ${letters.map((l) => String(l.offset))}::bigint[],
        ${letters.map((l) => _text(l.payload))}::text[],
        ${letters.map((l) => _text(l.error))}::text[])
      ON CONFLICT DO NOTHING`;
  }

  /** {@inheritDoc HistoryStore.history} */
  async history(driverId: string, query: HistoryQuery): Promise<LocationRecord[]> {
    const { from, to, limit, after } = query;
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > HISTORY_MAX_LIMIT) {
      throw new RangeError(`limit must be an integer from 1 to ${HISTORY_MAX_LIMIT}, got ${limit}`);
    }
    const sql = this.#sql;
    const rows = await sql<LocationDbRow[]>`
      ${historyRangeSql(sql, driverId, { from, to, after })}
      LIMIT ${limit}`;
    return rows.map(locationFromRow);
  }

  /** {@inheritDoc HistoryStore.latest} */
  async latest(driverId: string): Promise<LocationRecord | undefined> {
    return (await this.latestOf([driverId])).get(driverId);
  }

  /**
   * {@inheritDoc HistoryStore.latestOf}
   * One `LATERAL` read per driver: a backward index scan of its newest day partitions, stopped at
   * the first row, so a driver's older days are never read.
   */
  async latestOf(driverIds: readonly string[]): Promise<Map<string, LocationRecord>> {
    if (driverIds.length === 0) return new Map();
    const rows = await this.#sql<LocationDbRow[]>`
      SELECT l.driver_id, l.seq, l.ts, l.lat, l.lon, l.speed, l.heading, l.accuracy, l.region,
        l.received_at
      FROM unnest(${[...driverIds]}::text[]) AS d(id)
      CROSS JOIN LATERAL (
        SELECT * FROM driver_locations WHERE driver_id = d.id ORDER BY ts DESC LIMIT 1
      ) AS l`;
    return new Map(rows.map((row) => [row.driver_id, locationFromRow(row)]));
  }

  /** {@inheritDoc HistoryStore.ping} */
  async ping(): Promise<void> {
    await this.#sql`SELECT 1`;
  }
}

/**
 * PostgreSQL's SQLSTATE classes for errors in the data itself: 22 (data exception: out of range,
 * invalid byte sequence, ...) and 23 (integrity constraint violation).
 */
const _DATA_ERROR = /^2[23]/;

/** The database's refusal of the data as a {@linkcode RowRejectedError}; other errors as they are. */
function _dataError(error: unknown): unknown {
  const code = (error as { code?: unknown })?.code;
  if (typeof code === "string" && _DATA_ERROR.test(code)) {
    return new RowRejectedError((error as Error).message, { cause: error });
  }
  return error;
}

/** Text a `text` column can hold: NUL escaped as `\u0000`. */
function _text(value: string): string {
  return value.replaceAll("\0", "\\u0000");
}
