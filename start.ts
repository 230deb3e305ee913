import { deprecatedNames, loadConfig, presentSettings } from "./infra/config.ts";
import { loggingSettings } from "./infra/config_logging.ts";
import { workerInstanceId } from "./infra/config_server.ts";
import { exitOnConfigurationError, portStartupError } from "./infra/startup_error.ts";
import { START_USAGE, workerCount } from "./infra/workers/worker_count.ts";
import { WorkerSupervisor } from "./infra/workers/worker_supervisor.ts";
import { serviceV8Env } from "./infra/workers/service_v8_flags.ts";
import { logger } from "./lib/log.ts";
import { configureLogging } from "./lib/log_setup.ts";

const _log = logger("workers");

/**
 * `deno task start [--workers N]`: the production command. Runs N service processes
 * (`main.ts`, default one per core) on one `PORT` with SO_REUSEPORT, so the kernel spreads
 * connections over them; each is a full instance (`INSTANCE_ID` `<id>-w<i>`) in the same
 * consumer groups. Restarts a worker that exits, forwards SIGTERM/SIGINT to all and exits once
 * they drained (0 when every one exited 0). Settings are checked once, here, as main.ts does.
 */
async function start(): Promise<void> {
  const env = Deno.env.toObject();
  configureLogging(loggingSettings(env));
  let count;
  let config;
  try {
    count = workerCount(Deno.args, env, navigator.hardwareConcurrency);
    if (count === "help") return console.log(START_USAGE);
    config = loadConfig(env);
  } catch (error) {
    exitOnConfigurationError(_log, error);
  }
  for (const line of deprecatedNames(env)) _log.warn(line);
  if (count.warning) _log.warn(count.warning);
  if (config.PORT !== 0) {
    try {
      Deno.listen({ hostname: config.HOST, port: config.PORT }).close();
    } catch (error) {
      const e = portStartupError(error, config.HOST, config.PORT);
      _log.error(e.message, { setting: e.setting, exitCode: e.exitCode });
      Deno.exit(e.exitCode);
    }
  }
  const shared = count.workers > 1;
  const instanceId = presentSettings(env).INSTANCE_ID;
  const supervisor = new WorkerSupervisor({
    count: count.workers,
    command: Deno.execPath(),
    // What main.ts needs (no --allow-run); SO_REUSEPORT in Deno.serve is behind --unstable-net.
    args: ["run", ..._WORKER_PERMISSIONS, ...(shared ? ["--unstable-net"] : []), _MAIN],
    env: (i) => ({
      ...serviceV8Env(env),
      INSTANCE_ID: workerInstanceId(instanceId, i),
      ...(shared && { REUSE_PORT: "1" }),
    }),
    killAfterMs: config.SHUTDOWN_GRACE_MS + 5_000,
  });
  _log.info("starting workers", {
    workers: count.workers,
    port: config.PORT,
    reusePort: shared,
    cores: navigator.hardwareConcurrency,
  });
  supervisor.start();
  const stop = (signal: Deno.Signal) => {
    _log.info("stopping workers", { signal });
    void supervisor.stop(signal);
  };
  Deno.addSignalListener("SIGTERM", () => stop("SIGTERM"));
  Deno.addSignalListener("SIGINT", () => stop("SIGINT"));
  const code = await supervisor.done();
  _log.info("workers stopped", { exitCode: code });
  Deno.exit(code);
}

const _MAIN = new URL("./main.ts", import.meta.url).pathname;
const _WORKER_PERMISSIONS = [
  "--allow-net",
  "--allow-env",
  "--allow-read",
  "--allow-write",
  "--allow-sys",
];

if (import.meta.main) await start();
