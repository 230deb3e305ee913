import type { Logger } from "../lib/log.ts";
import { rootCause } from "../lib/log_format.ts";
import { isDeadlineError } from "../lib/deadline.ts";
import { POSTGRES_DEFAULTS } from "./postgres/connect_postgres.ts";

/** Exit codes of a failed start-up (docs/operations.md). */
export const EXIT_CODES = {
  /** A dependency (Kafka, PostgreSQL, the port) is not there now; the same settings may work later. */
  unavailable: 1,
  /** A setting or a file it names is wrong: it must be changed before a restart can work. */
  configuration: 2,
} as const;

/**
 * Start-up cannot go on: `setting` names the environment variable to look at, `message` (one
 * line) says why, and `exitCode` is what the process exits with.
 */
export class StartupError extends Error {
  override name = "StartupError";
  readonly setting: string;
  readonly exitCode: number;

  constructor(setting: string, message: string, exitCode: number, options?: ErrorOptions) {
    super(`${setting}: ${message}`, options);
    this.setting = setting;
    this.exitCode = exitCode;
  }
}

/** The regions file could not be read or is not valid. */
export function regionsStartupError(error: unknown, path: string): StartupError {
  return new StartupError(
    "REGIONS_FILE",
    `cannot use ${path}: ${rootCause(error)}`,
    EXIT_CODES.configuration,
    { cause: error },
  );
}

/**
 * PostgreSQL refused or did not answer. Refused credentials or an unknown database (SQLSTATE
 * class 28, 3D000) are configuration; anything else (refused, timed out, unknown host) is
 * unavailability. The URL's password is never shown.
 */
export function postgresStartupError(error: unknown, url: string): StartupError {
  const code = String((error as { code?: unknown })?.code ?? "");
  const refusedUs = code.startsWith("28") || code === "3D000";
  const silent = isDeadlineError(error) || code === "CONNECT_TIMEOUT";
  const cause = silent
    ? `no answer within ${POSTGRES_DEFAULTS.connectTimeoutSeconds} s (connect timeout)`
    : rootCause(error);
  return new StartupError(
    "DATABASE_URL",
    `cannot use PostgreSQL at ${_where(url)}: ${cause}`,
    refusedUs ? EXIT_CODES.configuration : EXIT_CODES.unavailable,
    { cause: error },
  );
}

/** No broker answered within `timeoutMs`. */
export function kafkaStartupError(
  error: unknown,
  brokers: readonly string[],
  timeoutMs: number,
): StartupError {
  return new StartupError(
    "KAFKA_BROKERS",
    `no broker of ${brokers.join(",")} answered within ${timeoutMs / 1000} s ` +
      `(KAFKA_CONNECT_TIMEOUT_MS): ${rootCause(error)}`,
    EXIT_CODES.unavailable,
    { cause: error },
  );
}

/** The HTTP port could not be bound. */
export function portStartupError(error: unknown, host: string, port: number): StartupError {
  const code = (error as { code?: unknown } | null)?.code;
  const reason = error instanceof Deno.errors.AddrInUse || code === "EADDRINUSE"
    ? "already in use"
    : error instanceof Deno.errors.PermissionDenied || code === "EACCES"
    ? "permission denied"
    : rootCause(error);
  return new StartupError(
    "PORT",
    `cannot listen on ${host}:${port}: ${reason}`,
    EXIT_CODES.unavailable,
    { cause: error },
  );
}

/** `host:port/database` of a postgres URL, without user or password. */
function _where(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || "5432"}${u.pathname}`;
  } catch {
    return "(unparsable URL)";
  }
}

/**
 * Logs a refused configuration as one error line naming the first setting it names ("JWT_SECRET
 * is unset", "invalid configuration: PORT: ...") and exits with the configuration exit code.
 */
export function exitOnConfigurationError(log: Logger, error: unknown): never {
  const message = (error as Error).message;
  const setting = message.match(/^(?:invalid configuration: )?([A-Z][A-Z0-9_]+)\b/)?.[1];
  log.error(message, { ...(setting && { setting }), exitCode: EXIT_CODES.configuration });
  Deno.exit(EXIT_CODES.configuration);
}
