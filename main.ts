import { deprecatedNames, DEV_JWT_SECRET, loadConfig } from "./infra/config.ts";
import { loggingSettings } from "./infra/config_logging.ts";
import { EXIT_CODES, exitOnConfigurationError, StartupError } from "./infra/startup_error.ts";
import { logger } from "./lib/log.ts";
import { errorFields } from "./lib/log_format.ts";
import { isConnectionLoss } from "./lib/connection_loss.ts";
import { configureLogging } from "./lib/log_setup.ts";
import { startService } from "./service.ts";

const _log = logger("main");

/**
 * Entry point: `deno task dev` (dev mode), or `deno run -A main.ts` with `JWT_SECRET` set.
 * Logs go to stderr, one JSON object per line (docs/operations.md). Start-up stops with one
 * error line naming the setting: exit code 2 for a wrong setting or file, 1 for a dependency
 * that cannot be reached (Kafka, PostgreSQL, the port). Drains on SIGTERM/SIGINT.
 */
async function main(): Promise<void> {
  const env = Deno.env.toObject();
  configureLogging(loggingSettings(env));
  _exitOnCrash();
  let config;
  try {
    config = loadConfig(env);
  } catch (error) {
    exitOnConfigurationError(_log, error);
  }
  for (const line of deprecatedNames(env)) _log.warn(line);
  if (config.JWT_SECRET === DEV_JWT_SECRET) {
    _log.warn("dev mode (TRACKING_DEV=1): using the dev JWT secret", {
      secret: DEV_JWT_SECRET,
      makeToken: "deno task token driver d1",
    });
  }
  if (!config.DATABASE_URL) {
    _log.warn("DATABASE_URL is unset: using embedded PostgreSQL (PGlite)");
  }
  let service;
  try {
    service = await startService(config);
  } catch (error) {
    if (error instanceof StartupError) {
      _log.error(error.message, { setting: error.setting, exitCode: error.exitCode });
      Deno.exit(error.exitCode);
    }
    _log.error("start-up failed", { error, exitCode: EXIT_CODES.unavailable });
    Deno.exit(EXIT_CODES.unavailable);
  }
  const url = `http://${config.HOST}:${service.port}`;
  _log.info(`listening on ${url}`, {
    url,
    port: service.port,
    instance: config.INSTANCE_ID,
    pages: "/ (fleet, ops), /track/<orderId>, /restaurant/<id>, /replay" +
      (config.JWT_SECRET === DEV_JWT_SECRET ? " (dev sign-in on each page)" : ""),
  });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    _log.info("draining", { signal });
    await service.close();
    _log.info("stopped");
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGTERM", () => stop("SIGTERM"));
  Deno.addSignalListener("SIGINT", () => stop("SIGINT"));
}

/**
 * An uncaught error or unhandled rejection ends the process, as by default, but as one log line
 * (with the stack as a field) instead of a multi-line dump. Except an unhandled rejection that is a
 * lost connection (`lib/connection_loss.ts`): logged at error, and the process goes on, since
 * postgres.js leaves one unhandled when PostgreSQL goes away while a connection opens
 * (porsager/postgres#1192, docs/failure_behaviour.md) and the clients heal the connection.
 */
function _exitOnCrash(): void {
  const crash = (event: Event, error: unknown) => {
    event.preventDefault();
    _log.fatal("crashed", {
      error,
      ...(error instanceof Error && error.stack && { stack: error.stack }),
      ...(!(error instanceof Error) && { detail: errorFields(error) }),
    });
    Deno.exit(1);
  };
  globalThis.addEventListener("error", (e) => crash(e, e.error));
  globalThis.addEventListener("unhandledrejection", (e) => {
    if (!isConnectionLoss(e.reason)) return crash(e, e.reason);
    e.preventDefault();
    _log.error("a lost connection's error went unhandled; going on", { error: e.reason });
  });
}

if (import.meta.main) await main();
