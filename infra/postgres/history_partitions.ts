import type postgres from "postgres";
import type { Sql } from "./connect_postgres.ts";
import { logger } from "../../lib/log.ts";

const _log = logger("history");

/** One UTC day in epoch ms. */
export const DAY_MS = 86_400_000;

/** Days after today for which partitions are made ahead (today .. today + 3). */
export const PARTITION_DAYS_AHEAD = 3;

/** The parent table; its day partitions are `driver_locations_pYYYYMMDD` (migration 004). */
export const HISTORY_TABLE = "driver_locations";

/** The last day `Date` can show as YYYY-MM-DD (year 9999). */
const _MAX_DATE_MS = Date.UTC(9999, 11, 31);

const _NAME = /^driver_locations_p(\d{4})(\d{2})(\d{2})$/;

/** One day partition of `driver_locations`. */
export interface DayPartition {
  /** Table name, `driver_locations_pYYYYMMDD`. */
  readonly name: string;
  /** Start of its UTC day, epoch ms (inclusive bound). */
  readonly dayStart: number;
}

/** The start (00:00 UTC) of the day that holds `ms`, epoch ms. */
export function utcDayStart(ms: number): number {
  return ms - (((ms % DAY_MS) + DAY_MS) % DAY_MS);
}

/** `driver_locations_pYYYYMMDD` for the UTC day that starts at `dayStart`. */
export function dayPartitionName(dayStart: number): string {
  if (!Number.isSafeInteger(dayStart) || utcDayStart(dayStart) !== dayStart) {
    throw new RangeError(`not the start of a UTC day in epoch ms: ${dayStart}`);
  }
  const iso = new Date(dayStart).toISOString(); // YYYY-MM-DDT00:00:00.000Z
  return `${HISTORY_TABLE}_p${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}`;
}

/** The UTC day a partition name stands for, or `undefined` for a name outside the convention. */
export function parsePartitionName(name: string): DayPartition | undefined {
  const m = _NAME.exec(name);
  if (!m) return undefined;
  const dayStart = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return dayPartitionName(dayStart) === name ? { name, dayStart } : undefined;
}

/** The distinct UTC day starts of `timestamps`, ascending. */
export function daysOf(timestamps: Iterable<number>): number[] {
  return [...new Set([...timestamps].map(utcDayStart))].sort((a, b) => a - b);
}

/**
 * The day partitions of `driver_locations` in the connection's schema, ascending by day.
 * Partitions whose names do not follow the convention are left out (never dropped).
 */
export async function listDayPartitions(sql: Sql): Promise<DayPartition[]> {
  const rows = await sql<{ name: string }[]>`
    SELECT c.relname AS name
    FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = ${HISTORY_TABLE}::regclass`;
  return rows.map((r) => parsePartitionName(r.name))
    .filter((p) => p !== undefined)
    .sort((a, b) => a.dayStart - b.dayStart);
}

/**
 * Creates the partitions of the days starting at `dayStarts` that do not exist yet; returns the
 * names it created, each logged with `reason`. A partition another instance creates at the same
 * moment counts as existing, not as an error.
 */
export async function createDayPartitions(
  sql: Sql,
  dayStarts: readonly number[],
  reason: string,
  options: PartitionDdlOptions = {},
): Promise<string[]> {
  const existing = new Set((await listDayPartitions(sql)).map((p) => p.name));
  const created: string[] = [];
  for (const dayStart of new Set(dayStarts)) {
    const name = dayPartitionName(dayStart);
    if (existing.has(name)) continue;
    try {
      await _ddl(
        sql,
        `CREATE TABLE "${name}" PARTITION OF "${HISTORY_TABLE}" ` +
          `FOR VALUES FROM (${dayStart}) TO (${dayStart + DAY_MS})`,
        options.lockTimeoutMs,
      );
    } catch (error) {
      if (_alreadyMade(error)) continue;
      throw error;
    }
    created.push(name);
    _log.info("history partition created", {
      partition: name,
      day: new Date(dayStart).toISOString().slice(0, 10),
      reason,
    });
  }
  return created;
}

/** Options for {@linkcode createDayPartitions} and {@linkcode dropDayPartition}. */
export interface PartitionDdlOptions {
  /**
   * Longest wait for the parent table's lock, ms (default 5,000). Creating or dropping a
   * partition locks `driver_locations` exclusively; waiting behind a long read would queue every
   * insert behind the DDL, so past this it gives up with SQLSTATE 55P03 and is retried later.
   */
  lockTimeoutMs?: number | undefined;
}

/** Drops one day partition with all its rows; see {@linkcode PartitionDdlOptions}. */
export async function dropDayPartition(
  sql: Sql,
  partition: DayPartition,
  options: PartitionDdlOptions = {},
): Promise<void> {
  if (parsePartitionName(partition.name)?.dayStart !== partition.dayStart) {
    throw new RangeError(`not a day partition: ${partition.name}`);
  }
  await _ddl(sql, `DROP TABLE "${partition.name}"`, options.lockTimeoutMs);
  _log.info("history partition dropped", {
    partition: partition.name,
    day: new Date(partition.dayStart).toISOString().slice(0, 10),
    reason: "retention",
  });
}

/**
 * Runs `fn` between BEGIN and COMMIT (ROLLBACK if it throws) on a reserved connection, which
 * postgres.js gives no `begin` of its own.
 */
export async function inTransaction<T>(
  sql: postgres.ReservedSql,
  fn: () => Promise<T>,
): Promise<T> {
  await sql`BEGIN`;
  let result: T;
  try {
    result = await fn();
  } catch (error) {
    await sql`ROLLBACK`.catch(() => {});
    throw error;
  }
  await sql`COMMIT`;
  return result;
}

/** True for PostgreSQL's "no partition of relation ... found for row" (SQLSTATE 23514). */
export function isMissingPartition(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | undefined;
  return e?.code === "23514" && typeof e.message === "string" &&
    e.message.includes("no partition of relation");
}

/**
 * Runs one DDL statement with a local lock_timeout, as one statement (a DO block), so it works
 * on a pool and on a reserved connection alike. DDL takes no bind parameters: callers pass only
 * names that match the partition convention and integer bounds.
 */
async function _ddl(sql: Sql, statement: string, lockTimeoutMs = 5_000): Promise<void> {
  if (!Number.isSafeInteger(lockTimeoutMs) || lockTimeoutMs < 1) {
    throw new RangeError(`lockTimeoutMs must be a positive integer, got ${lockTimeoutMs}`);
  }
  await sql.unsafe(
    `DO $ddl$ BEGIN PERFORM set_config('lock_timeout', '${lockTimeoutMs}', true); ` +
      `${statement}; END $ddl$`,
  );
}

/** Another session created the same table first: duplicate_table, or its pg_type row. */
function _alreadyMade(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return code === "42P07" || code === "23505";
}

/** Which fix days the store takes; see {@linkcode dayRefusal}. */
export interface HistoryWindow {
  /** The server clock, epoch ms. */
  now: number;
  /** `HISTORY_RETENTION_DAYS`; `undefined` keeps every past day. */
  retentionDays?: number | undefined;
}

/**
 * Whether a day partition is past retention: its whole day ended `retentionDays` or more before
 * `now`. The maintainer drops such partitions, and the store refuses fixes for such days.
 */
export function pastRetention(dayStart: number, now: number, retentionDays: number): boolean {
  return dayStart + DAY_MS <= now - retentionDays * DAY_MS;
}

/**
 * Why a fix with this `ts` cannot be stored, or `undefined` when it can: its day is past
 * retention (its partition is dropped, or would be within the hour), or it lies beyond
 * today + {@linkcode PARTITION_DAYS_AHEAD} (no partition is made that far ahead; the ingest
 * refuses fixes more than `FUTURE_MARGIN_MS` ahead, so only a bad record gets here).
 */
export function dayRefusal(ts: number, window: HistoryWindow): string | undefined {
  const { now, retentionDays } = window;
  if (!Number.isSafeInteger(ts) || ts < 0) return `fix ts ${ts} is not an epoch ms time after 1970`;
  const day = utcDayStart(ts);
  if (retentionDays !== undefined && pastRetention(day, now, retentionDays)) {
    return `fix ts ${ts} (${_isoDay(day)}) is older than the history retention ` +
      `(HISTORY_RETENTION_DAYS=${retentionDays}): its day is not kept`;
  }
  if (day > utcDayStart(now) + PARTITION_DAYS_AHEAD * DAY_MS) {
    return `fix ts ${ts} (${
      _isoDay(day)
    }) is more than ${PARTITION_DAYS_AHEAD} days ahead of the ` +
      `server clock: no history partition is made that far ahead`;
  }
  return undefined;
}

/** `YYYY-MM-DD` of a day, built only for a refusal (dayRefusal runs for every row stored). */
function _isoDay(day: number): string {
  return new Date(Math.min(day, _MAX_DATE_MS)).toISOString().slice(0, 10);
}
