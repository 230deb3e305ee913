/**
 * `deno task demo`: see it move. Starts what `deno task dev` starts (the local Kafka broker
 * unless `KAFKA_BROKERS` is set, the service in dev mode with embedded PostgreSQL unless
 * `DATABASE_URL` is set) and a simulated city on it: drivers of the load simulator driving
 * about, and a dispatcher that keeps orders under way (created, assigned to the nearest idle
 * driver, driven to the pickup, `picked_up`, to the drop-off, `delivered`, next). Prints the
 * four pages' URLs with dev tokens on stdout, progress on stderr. SIGINT or SIGTERM stops the
 * city and the service; the broker keeps running, as after `deno task dev`
 * (`bash tools/kafka/broker.sh stop` stops it).
 *
 *   deno task demo [--drivers 200] [--orders 100] [--port 8000] [--time-scale 1] [--area-km K]
 *
 * @module
 */
import { DEV_JWT_SECRET } from "../infra/config.ts";
import { DEMO_USAGE, type DemoArgs, parseDemoArgs } from "./demo_args.ts";
import { runCity } from "./demo_city.ts";
import { demoDeviceSettings } from "./demo_device.ts";
import { BENCH_SERVICE_OPTIONS, ServiceProcess } from "../sim/service_process.ts";

const _ROOT = new URL("../", import.meta.url).pathname;
const _BROKER = `${_ROOT}tools/kafka/broker.sh`;

/**
 * Runs the demo until SIGINT or SIGTERM; resolves with the exit code (0 after a clean stop,
 * 1 when the broker or the service would not start, 2 for bad arguments).
 */
export async function demo(
  args: string[],
  env: Record<string, string> = Deno.env.toObject(),
): Promise<number> {
  let a: DemoArgs;
  try {
    a = parseDemoArgs(args, env);
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${DEMO_USAGE}`);
    return 2;
  }
  if (a.help) {
    console.log(DEMO_USAGE);
    return 0;
  }
  const stop = new AbortController();
  const onSignal = () => {
    if (!stop.signal.aborted) console.error("demo: stopping the city and the service...");
    stop.abort();
  };
  Deno.addSignalListener("SIGINT", onSignal);
  Deno.addSignalListener("SIGTERM", onSignal);
  try {
    if (!(await _startBroker())) return 1;
    if (stop.signal.aborted) return 0;
    const secret = env.JWT_SECRET ?? DEV_JWT_SECRET;
    const service = await _startService(a, env, stop.signal);
    if (typeof service === "number") return service;
    try {
      if (a.device && !stop.signal.aborted) {
        const driverId = `${a.prefix}-phone`;
        console.log(await demoDeviceSettings(service.url, { secret, driverId }));
      }
      if (!stop.signal.aborted) await runCity(a, service.url, secret, stop.signal);
    } finally {
      const code = await service.stop();
      console.error(`demo: service stopped (exit code ${code})`);
    }
    return 0;
  } finally {
    Deno.removeSignalListener("SIGINT", onSignal);
    Deno.removeSignalListener("SIGTERM", onSignal);
  }
}

/** `tools/kafka/broker.sh start` (the local broker, as `deno task dev`); false when it failed. */
async function _startBroker(): Promise<boolean> {
  const broker = await new Deno.Command("bash", {
    args: [_BROKER, "start"],
    stdin: "null",
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (!broker.success) {
    console.error("demo: the Kafka broker did not start (see above)");
    return false;
  }
  return true;
}

/**
 * Starts the service in dev mode on `--port`, logging to `.data/`; resolves with it, or with the
 * exit code when it did not start (0 when a signal stopped the demo meanwhile, else 1).
 */
async function _startService(
  a: DemoArgs,
  env: Record<string, string>,
  signal: AbortSignal,
): Promise<ServiceProcess | number> {
  await Deno.mkdir(`${_ROOT}.data`, { recursive: true });
  const logFile = `${_ROOT}.data/demo-service-${a.port}.log`;
  console.error(
    `demo: starting the service on port ${a.port} (dev mode; ` +
      `${env.DATABASE_URL ? "DATABASE_URL" : "embedded PostgreSQL"}; log ${logFile})`,
  );
  try {
    return await ServiceProcess.start({
      ...BENCH_SERVICE_OPTIONS,
      port: a.port,
      env: {
        TRACKING_DEV: "1",
        ALLOWED_ORIGINS: env.ALLOWED_ORIGINS ??
          `http://localhost:${a.port},http://127.0.0.1:${a.port}`,
      },
      logFile,
      timeoutMs: 180_000,
    });
  } catch (error) {
    if (signal.aborted) return 0;
    console.error(`demo: ${(error as Error).message}`);
    return 1;
  }
}

if (import.meta.main) Deno.exit(await demo(Deno.args));
