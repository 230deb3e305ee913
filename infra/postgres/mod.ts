/**
 * PostgreSQL adapter: connection pool, migrations, the history and order stores (their
 * interfaces are in `domain/`), and an embedded server for development.
 *
 * @module
 */
export { connectPostgres, POSTGRES_DEFAULTS } from "./connect_postgres.ts";
export type { ConnectPostgresOptions, Sql } from "./connect_postgres.ts";
export { migrate } from "./migrate.ts";
export type { MigrateOptions } from "./migrate.ts";
export { MIGRATIONS_DIRECTORY, readMigrations } from "./read_migrations.ts";
export type { Migration } from "./read_migrations.ts";
export { PostgresHistoryStore } from "./history_store.ts";
export { HISTORY_CURSOR_ROWS, historyCursor } from "./history_cursor.ts";
export type { HistoryRange } from "./history_cursor.ts";
export { PostgresOrderStore } from "./order_store.ts";
export { readOrderTimes } from "./order_times.ts";
export { PostgresShareStore } from "./share_store.ts";
export {
  EMBEDDED_DATA_DIR,
  EMBEDDED_MAX_CONNECTIONS,
  startEmbeddedPostgres,
} from "./embedded_postgres.ts";
export type { EmbeddedPostgres, EmbeddedPostgresOptions } from "./embedded_postgres.ts";
