import { freePorts } from "./_free_ports.ts";

/** Options of {@linkcode ThrowawayPostgres.start}. */
export interface ThrowawayPostgresOptions {
  /** Name of the database created in it. @default "test" */
  readonly database?: string;
  /** TCP port on 127.0.0.1. @default a free port, probed */
  readonly port?: number;
}

/**
 * A PostgreSQL server of a test's own: `initdb` (trust auth) in a temporary directory, started
 * with `pg_ctl` on a free port, for tests that stop the database (the shared server on 5432 must
 * stay up for everyone else). Uses the newest `/usr/lib/postgresql/<version>/bin`; when running
 * as root, the server runs as the `postgres` OS user (it refuses root).
 *
 * ```ts
 * const pg = await ThrowawayPostgres.start();
 * try {
 *   // DATABASE_URL = pg.url; then pg.stop(), pg.start() to simulate an outage
 * } finally {
 *   await pg.close();
 * }
 * ```
 */
export class ThrowawayPostgres {
  /** `postgres://postgres@127.0.0.1:PORT/DATABASE`. */
  readonly url: string;
  /** Its TCP port. */
  readonly port: number;
  /** The temporary directory (data in `data/`, log in `server.log`); removed by `close()`. */
  readonly dir: string;
  #bin: string;
  #running = false;
  #closed = false;

  private constructor(bin: string, dir: string, port: number, database: string) {
    this.#bin = bin;
    this.dir = dir;
    this.port = port;
    this.url = `postgres://postgres@127.0.0.1:${port}/${database}`;
  }

  /** Creates the cluster, starts it and creates the database. */
  static async start(options: ThrowawayPostgresOptions = {}): Promise<ThrowawayPostgres> {
    const database = options.database ?? "test";
    if (!/^[a-z_][a-z0-9_]*$/.test(database)) throw new TypeError(`bad name: ${database}`);
    const bin = await _newestBin();
    const dir = await Deno.makeTempDir({ prefix: "throwaway-pg-" });
    const pg = new ThrowawayPostgres(bin, dir, options.port ?? freePorts(1), database);
    try {
      if (Deno.uid() === 0) {
        const ids = await _run(["id", "-u", "postgres"], false);
        const gids = await _run(["id", "-g", "postgres"], false);
        await Deno.chown(dir, Number(ids.trim()), Number(gids.trim()));
      }
      await pg.#pg("initdb", [
        "-D",
        `${dir}/data`,
        "-U",
        "postgres",
        "--auth=trust",
        "--encoding=UTF8",
        "--no-sync",
      ]);
      await pg.start();
      await pg.#pg("createdb", [
        "-h",
        "127.0.0.1",
        "-p",
        String(pg.port),
        "-U",
        "postgres",
        database,
      ]);
    } catch (error) {
      await pg.close();
      throw error;
    }
    return pg;
  }

  /** Starts the server (again) on the same data and port; resolves once it accepts connections. */
  async start(): Promise<void> {
    if (this.#closed) throw new Error("ThrowawayPostgres is closed");
    const settings = [
      `-p ${this.port}`,
      "-c listen_addresses=127.0.0.1",
      `-c unix_socket_directories=${this.dir}`,
      "-c fsync=off",
      "-c synchronous_commit=off",
      "-c full_page_writes=off",
      "-c max_connections=100",
    ].join(" ");
    await this.#pg("pg_ctl", [
      "start",
      "-w",
      "-t",
      "60",
      "-D",
      `${this.dir}/data`,
      "-l",
      `${this.dir}/server.log`,
      "-o",
      settings,
    ]);
    this.#running = true;
  }

  /** Fast shutdown (clients are disconnected); resolves once the server has exited. */
  async stop(): Promise<void> {
    if (!this.#running) return;
    await this.#pg("pg_ctl", ["stop", "-w", "-m", "fast", "-t", "60", "-D", `${this.dir}/data`]);
    this.#running = false;
  }

  /** Stops the server (immediate mode) and deletes its directory. Safe to call twice. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#running) {
      await this.#pg("pg_ctl", ["stop", "-w", "-m", "immediate", "-D", `${this.dir}/data`])
        .catch(() => undefined);
      this.#running = false;
    }
    await Deno.remove(this.dir, { recursive: true });
  }

  async #pg(program: string, args: string[]): Promise<string> {
    const path = `${this.#bin}/${program}`;
    const command = Deno.uid() === 0 ? ["runuser", "-u", "postgres", "--", path] : [path];
    return await _run([...command, ...args], true);
  }
}

async function _newestBin(): Promise<string> {
  const versions: number[] = [];
  try {
    for await (const entry of Deno.readDir("/usr/lib/postgresql")) {
      if (entry.isDirectory && /^\d+$/.test(entry.name)) versions.push(Number(entry.name));
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  const newest = versions.sort((a, b) => b - a)[0];
  if (newest === undefined) throw new Error("no PostgreSQL server under /usr/lib/postgresql");
  return `/usr/lib/postgresql/${newest}/bin`;
}

async function _run(argv: string[], inTmp: boolean): Promise<string> {
  const [program, ...args] = argv;
  if (program === undefined) throw new TypeError("empty command");
  const out = await new Deno.Command(program, {
    args,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    // The postgres user may not be able to read the caller's working directory.
    ...(inTmp ? { cwd: "/tmp" } : {}),
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) {
    const err = new TextDecoder().decode(out.stderr);
    throw new Error(`${argv.join(" ")} failed (${out.code}): ${err}${text}`);
  }
  return text;
}
