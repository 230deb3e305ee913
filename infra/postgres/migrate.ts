import type postgres from "postgres";
import type { Sql } from "./connect_postgres.ts";
import { type Migration, readMigrations } from "./read_migrations.ts";

/** Options for {@linkcode migrate}. */
export interface MigrateOptions {
  /** The migrations to apply; default: the `migrations/` folder beside this module. */
  migrations?: readonly Migration[];
}

/**
 * Applies, in order, every migration not yet recorded in `schema_migrations`
 * (created on first use, in the connection's current schema) and returns the
 * names it applied; re-running is a no-op that returns `[]`.
 *
 * Each migration runs in its own transaction together with its record, under
 * a transaction-level advisory lock, so instances starting at the same time
 * apply each migration exactly once: the later one waits, then sees the record.
 */
export async function migrate(sql: Sql, options: MigrateOptions = {}): Promise<string[]> {
  const migrations = options.migrations ?? await readMigrations();
  await sql.begin(async (tx) => {
    await _lock(tx);
    await tx`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        name       text PRIMARY KEY,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`;
  });
  const applied: string[] = [];
  for (const migration of migrations) {
    const done = await sql.begin(async (tx) => {
      await _lock(tx);
      const seen = await tx`SELECT 1 FROM schema_migrations WHERE name = ${migration.name}`;
      if (seen.length > 0) return false;
      await tx.unsafe(migration.sql); // a trusted file shipped with the code, no values
      await tx`INSERT INTO schema_migrations (name) VALUES (${migration.name})`;
      return true;
    });
    if (done) applied.push(migration.name);
  }
  return applied;
}

/** Serializes migrators on one database until the transaction ends. */
async function _lock(tx: postgres.TransactionSql): Promise<void> {
  await tx`SELECT pg_advisory_xact_lock(hashtext('schema_migrations'))`;
}
