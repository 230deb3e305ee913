import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { lockDataDir } from "./data_dir_lock.ts";

/** A running embedded PostgreSQL; see {@linkcode startEmbeddedPostgres}. */
export interface EmbeddedPostgres {
  /** A `postgres://` URL for postgres.js; it carries `max=1` (one connection, see below). */
  url: string;
  /** Stops the socket server, then closes the database. End client pools first. */
  close(): Promise<void>;
}

/** Options for {@linkcode startEmbeddedPostgres}. */
export interface EmbeddedPostgresOptions {
  /** Data directory, or `memory://` for a throw-away database. Default: `<project>/.data/pglite`. */
  dataDir?: string;
  /** TCP port on 127.0.0.1; default 0, a free port chosen by the OS. */
  port?: number;
}

/** Where `deno task dev` keeps the embedded database. */
export const EMBEDDED_DATA_DIR: string = new URL("../../.data/pglite", import.meta.url).pathname;

/** Connections the embedded server accepts at once (a few one-connection pools). */
export const EMBEDDED_MAX_CONNECTIONS = 8;

/**
 * Starts PGlite (PostgreSQL compiled to WebAssembly, in this process) and
 * serves it over the PostgreSQL wire protocol on 127.0.0.1, for `deno task
 * dev` when `DATABASE_URL` is unset. Not for production or benchmarks. A second process on the
 * same data directory is refused (`DataDirInUseError`).
 *
 * PGlite is one session: the server multiplexes connections onto it, serving
 * one connection's open transaction before the others. The server accepts a
 * few connections (its library default of 1 makes a second pool hang), and the
 * URL asks each pool for one (`max=1`, read by `connectPostgres`): session
 * state (`SET`, session advisory locks) is shared by all connections.
 *
 * @example
 * ```ts
 * const pg = await startEmbeddedPostgres();
 * const sql = connectPostgres(pg.url);
 * await migrate(sql);
 * await sql.end();
 * await pg.close();
 * ```
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions = {},
): Promise<EmbeddedPostgres> {
  const dataDir = options.dataDir ?? EMBEDDED_DATA_DIR;
  const onDisk = !dataDir.startsWith("memory://");
  if (onDisk) await Deno.mkdir(dataDir, { recursive: true });
  // Two instances on one data directory would each embed the database and split the history.
  const lock = onDisk ? await lockDataDir(dataDir) : undefined;
  let db: PGlite;
  try {
    db = await PGlite.create({ dataDir });
  } catch (error) {
    await lock?.release();
    throw error;
  }
  const server = new PGLiteSocketServer({
    db,
    host: "127.0.0.1",
    port: options.port ?? 0,
    maxConnections: EMBEDDED_MAX_CONNECTIONS,
  });
  try {
    await server.start();
  } catch (error) {
    await db.close();
    await lock?.release();
    throw error;
  }
  const port = server.getServerConn().split(":").at(-1);
  let closed: Promise<void> | undefined;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres?max=1`,
    close() {
      closed ??= (async () => {
        await server.stop();
        await db.close();
        await lock?.release();
      })();
      return closed;
    },
  };
}
