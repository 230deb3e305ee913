import postgres from "postgres";

/**
 * Watches the history table (`driver_locations`, or a baseline's own table) in PostgreSQL for
 * the bench: a cheap running total of inserted rows (from `pg_stat_user_tables.n_tup_ins`,
 * flushed by PostgreSQL about once a second, so approximate; summed over the day partitions,
 * since a partitioned parent counts nothing itself), an exact count of one run's rows by
 * driver-id prefix, and their removal.
 */
export class HistoryRows {
  #sql: postgres.Sql;
  #table: string;

  /** Watches `table` (default `driver_locations`) in the database at `databaseUrl`. */
  constructor(databaseUrl: string, table = "driver_locations") {
    this.#sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    this.#table = table;
  }

  /** Rows ever inserted into the table (0 when it does not exist yet). */
  async inserted(): Promise<number> {
    const rows = await this.#sql<{ n: string }[]>`
      SELECT coalesce(sum(n_tup_ins), 0)::text AS n FROM pg_stat_user_tables
      WHERE relname = ${this.#table} OR relname ~ ${`^${this.#table}_p[0-9]{8}$`}`;
    return Number(rows[0]?.n ?? 0);
  }

  /** Exact number of rows whose driver_id starts with `${prefix}-` (one scan; use sparingly). */
  async countPrefix(prefix: string): Promise<number> {
    const rows = await this.#sql<{ n: string }[]>`
      SELECT count(*)::text AS n FROM ${this.#sql(this.#table)}
      WHERE starts_with(driver_id, ${prefix + "-"})`;
    return Number(rows[0]?.n ?? 0);
  }

  /** Deletes the rows whose driver_id starts with `${prefix}-`; returns how many. */
  async deletePrefix(prefix: string): Promise<number> {
    const result = await this.#sql`
      DELETE FROM ${this.#sql(this.#table)} WHERE starts_with(driver_id, ${prefix + "-"})`;
    return result.count;
  }

  /** Closes the connection. */
  async close(): Promise<void> {
    await this.#sql.end({ timeout: 5 });
  }
}
