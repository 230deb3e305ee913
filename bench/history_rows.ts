import postgres from "postgres";

/**
 * Watches the history table `driver_locations` in PostgreSQL for the bench: a cheap running
 * total of inserted rows (from `pg_stat_user_tables.n_tup_ins`, flushed by PostgreSQL about
 * once a second, so approximate; summed over the day partitions, since a partitioned parent
 * counts nothing itself) and an exact count of one run's rows by driver-id prefix.
 */
export class HistoryRows {
  #sql: postgres.Sql;

  constructor(databaseUrl: string) {
    this.#sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  }

  /** Rows ever inserted into driver_locations (0 when the table does not exist yet). */
  async inserted(): Promise<number> {
    const rows = await this.#sql<{ n: string }[]>`
      SELECT coalesce(sum(n_tup_ins), 0)::text AS n FROM pg_stat_user_tables
      WHERE relname = 'driver_locations' OR relname ~ '^driver_locations_p[0-9]{8}$'`;
    return Number(rows[0]?.n ?? 0);
  }

  /** Exact number of rows whose driver_id starts with `${prefix}-` (one scan; use sparingly). */
  async countPrefix(prefix: string): Promise<number> {
    const rows = await this.#sql<{ n: string }[]>`
      SELECT count(*)::text AS n FROM driver_locations
      WHERE starts_with(driver_id, ${prefix + "-"})`;
    return Number(rows[0]?.n ?? 0);
  }

  /** Closes the connection. */
  async close(): Promise<void> {
    await this.#sql.end({ timeout: 5 });
  }
}
