import postgres from "postgres";

/** A postgres.js connection pool (the tagged-template `sql` function). */
export type Sql = postgres.Sql;

/** Options for {@linkcode connectPostgres}. */
export interface ConnectPostgresOptions {
  /**
   * Maximum connections in the pool. Default: the URL's `max` query parameter
   * if present (the embedded server's URL carries `max=1`), else
   * {@linkcode POSTGRES_DEFAULTS}.max.
   */
  max?: number;
}

/** Defaults used by {@linkcode connectPostgres}. */
export const POSTGRES_DEFAULTS = {
  /** Pool size: the history writer batches, so a few connections per instance suffice. */
  max: 10,
  /** Seconds an unused connection stays open. */
  idleTimeoutSeconds: 30,
  /** Seconds to wait for a connection before failing. */
  connectTimeoutSeconds: 10,
} as const;

/**
 * Opens a postgres.js pool for `url` (`postgres://user:pass@host:port/db`).
 * Notices are silenced. Close it with `await sql.end()`.
 *
 * @example
 * ```ts
 * const sql = connectPostgres("postgres://postgres@127.0.0.1:5432/test");
 * await sql`select 1`;
 * await sql.end();
 * ```
 */
export function connectPostgres(url: string, options: ConnectPostgresOptions = {}): Sql {
  const max = options.max ?? _maxFromUrl(url) ?? POSTGRES_DEFAULTS.max;
  if (!Number.isInteger(max) || max < 1) {
    throw new RangeError(`max must be a positive integer, got ${max}`);
  }
  return postgres(url, {
    max,
    idle_timeout: POSTGRES_DEFAULTS.idleTimeoutSeconds,
    connect_timeout: POSTGRES_DEFAULTS.connectTimeoutSeconds,
    onnotice: () => {},
  });
}

/** Reads a `max` query parameter; postgres.js would keep it as a string. */
function _maxFromUrl(url: string): number | undefined {
  let value: string | null;
  try {
    value = new URL(url).searchParams.get("max");
  } catch {
    return undefined;
  }
  return value === null ? undefined : Number(value);
}
