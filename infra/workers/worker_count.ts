import { parseArgs } from "node:util";
import { pickSettings } from "../config.ts";

/** Usage text of `deno task start`. */
export const START_USAGE = `deno task start [--workers N]
  --workers N   service processes sharing PORT (SO_REUSEPORT; default: one per core).
                More than one needs DATABASE_URL (the embedded PGlite serves one process)
                and a fixed PORT (not 0).`;

/** How many workers to run, and why if it is not what was asked. */
export interface WorkerCount {
  readonly workers: number;
  /** Set when the default was lowered (no DATABASE_URL): say so in a warning. */
  readonly warning?: string;
}

/**
 * Reads `--workers N` from `args` and decides the number of worker processes: N, or by default
 * `cores`. Without `DATABASE_URL` the embedded PGlite can serve one process only: an explicit
 * N > 1 is refused, the default falls back to 1 with a warning. N > 1 needs a fixed `PORT`.
 * Throws a `TypeError` with a one-line reason.
 */
export function workerCount(
  args: string[],
  env: Record<string, string | undefined>,
  cores: number,
): WorkerCount | "help" {
  const { values } = parseArgs({
    args,
    options: { workers: { type: "string" }, help: { type: "boolean", short: "h" } },
  });
  if (values.help) return "help";
  const asked = values.workers;
  if (asked !== undefined && !/^[1-9]\d*$/.test(asked)) {
    throw new TypeError(`--workers must be a whole number >= 1, got "${asked}"`);
  }
  const settings = pickSettings(env, ["DATABASE_URL", "PORT"]);
  const embedded = settings.DATABASE_URL === undefined;
  let workers = asked === undefined ? Math.max(1, cores) : Number(asked);
  let warning: string | undefined;
  if (embedded && workers > 1) {
    if (asked !== undefined) {
      throw new TypeError(
        `--workers ${asked} needs DATABASE_URL: the embedded PostgreSQL (PGlite) serves one ` +
          "process; set DATABASE_URL to a PostgreSQL server, or use --workers 1",
      );
    }
    warning = `DATABASE_URL is unset: the embedded PostgreSQL (PGlite) serves one process, so 1 ` +
      `worker runs instead of ${workers} (one per core)`;
    workers = 1;
  }
  if (workers > 1 && settings.PORT === 0) {
    throw new TypeError(`--workers ${workers} needs a fixed PORT: with 0 each would take another`);
  }
  return warning === undefined ? { workers } : { workers, warning };
}
