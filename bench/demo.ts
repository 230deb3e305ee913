/**
 * `deno task demo`: see it move. Starts what `deno task dev` starts (the local Kafka broker
 * unless `KAFKA_BROKERS` is set, the service in dev mode with embedded PostgreSQL unless
 * `DATABASE_URL` is set) and a simulated city on it: drivers of the load simulator driving
 * about, and a dispatcher that keeps orders under way (created, assigned to the nearest idle
 * driver, driven to the pickup, `picked_up`, to the drop-off, `delivered`, next). Prints the
 * four pages' URLs with dev tokens on stdout, progress on stderr. SIGINT or SIGTERM stops the
 * city and the service; the broker keeps running, as after `deno task dev`
 * (`bash infra/kafka/broker.sh stop` stops it).
 *
 *   deno task demo [--drivers 200] [--orders 100] [--port 8000] [--time-scale 1] [--area-km K]
 *
 * @module
 */
import { DEV_JWT_SECRET } from "../infra/config.ts";
import { DEMO_USAGE, type DemoArgs, parseDemoArgs } from "./demo_args.ts";
import { DemoDispatcher } from "./demo_dispatcher.ts";
import { demoPageUrls } from "./demo_pages.ts";
import { JwtSigner } from "./jwt_signer.ts";
import { OpsClient } from "./ops_client.ts";
import { createRng } from "./rng.ts";
import { startServiceProcess } from "./service_process.ts";
import type { SimStats } from "./sim_stats.ts";
import { runSimulation } from "./simulation.ts";

const _ROOT = new URL("../", import.meta.url).pathname;
const _BROKER = `${_ROOT}infra/kafka/broker.sh`;
/** Dev tokens printed by the demo last this long. */
const TOKEN_HOURS = 12;
/** Seconds between progress lines. */
const STATUS_EVERY_S = 10;

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
    const broker = await new Deno.Command("bash", {
      args: [_BROKER, "start"],
      stdin: "null",
      stdout: "inherit",
      stderr: "inherit",
    }).output();
    if (!broker.success) {
      console.error("demo: the Kafka broker did not start (see above)");
      return 1;
    }
    if (stop.signal.aborted) return 0;
    await Deno.mkdir(`${_ROOT}.data`, { recursive: true });
    const logFile = `${_ROOT}.data/demo-service-${a.port}.log`;
    const secret = env.JWT_SECRET ?? DEV_JWT_SECRET;
    console.error(
      `demo: starting the service on port ${a.port} (dev mode; ` +
        `${env.DATABASE_URL ? "DATABASE_URL" : "embedded PostgreSQL"}; log ${logFile})`,
    );
    let service;
    try {
      service = await startServiceProcess({
        port: a.port,
        env: {
          TRACKING_DEV: "1",
          ALLOWED_ORIGINS: env.ALLOWED_ORIGINS ??
            `http://localhost:${a.port},http://127.0.0.1:${a.port}`,
        },
        logFile,
        readyTimeoutMs: 180_000,
      });
    } catch (error) {
      if (stop.signal.aborted) return 0;
      console.error(`demo: ${(error as Error).message}`);
      return 1;
    }
    try {
      if (!stop.signal.aborted) await _runCity(a, service.url, secret, stop.signal);
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

/** The simulated city against the service at `url`, until `signal` aborts. */
async function _runCity(a: DemoArgs, url: string, secret: string, signal: AbortSignal) {
  const signer = new JwtSigner(secret);
  const exp = Math.floor(Date.now() / 1000) + TOKEN_HOURS * 3600;
  const opsId = `${a.prefix}-ops`;
  const ops = new OpsClient(url, await signer.sign({ sub: opsId, role: "ops", exp }), { signal });
  const base = `http://localhost:${a.port}`;
  let printed = false;
  let errorsShown = 0;
  const dispatcher = new DemoDispatcher({
    ops,
    area: a.area,
    rng: createRng(a.seed ^ 0x0de0),
    prefix: a.prefix,
    activeOrders: a.orders,
    onAssigned: (order) => {
      if (printed) return;
      printed = true;
      demoPageUrls(base, { signer, exp, order, opsId }).then((u) => {
        console.log(
          `\nSee it move (tokens valid ${TOKEN_HOURS} h; Ctrl-C stops the demo):\n` +
            `  fleet map (ops):           ${u.fleet}\n` +
            `  order ${order.id} (customer): ${u.track}\n` +
            `  restaurant ${order.restaurantId}: ${u.restaurant}\n` +
            `  replay of ${order.driverId} (ops): ${u.replay}\n`,
        );
      });
    },
    onError: (error) => {
      if (errorsShown++ < 5) console.error(`demo: ${(error as Error).message}`);
    },
  });
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    dispatcher.tick(((now - last) / 1000) * a.timeScale);
    last = now;
  }, 250);
  let ticks = 0;
  let prevAcked = 0;
  const status = (stats: SimStats) => {
    if (++ticks % STATUS_EVERY_S !== 0) return;
    const c = stats.c;
    const n = dispatcher.counts;
    console.error(
      `demo: ${c.open} drivers online, ${
        Math.round((c.acked - prevAcked) / STATUS_EVERY_S)
      } fixes/s acked | orders under way ${dispatcher.active}, created ${n.created}, ` +
        `picked up ${n.pickedUp}, delivered ${n.delivered}, failed ${n.failed}` +
        (stats.errorTotal > 0 ? ` | errors ${JSON.stringify(c.errors)}` : ""),
    );
    prevAcked = c.acked;
  };
  console.error(
    `demo: ${a.drivers} drivers, ${a.orders} orders under way at once` +
      (a.timeScale === 1 ? "" : `, time x${a.timeScale}`),
  );
  try {
    await runSimulation({
      drivers: a.drivers,
      intervalMs: 1000,
      durationS: Infinity,
      rampUpS: Math.max(2, Math.ceil(a.drivers / 100)),
      url,
      secret,
      prefix: a.prefix,
      seed: a.seed,
      timeScale: a.timeScale,
      area: a.area,
      drainS: 2,
    }, {
      signal,
      onDrivers: (drivers) => dispatcher.setDrivers(drivers),
      onOrder: (driver, orderId, status) => dispatcher.answer(driver, orderId, status),
      onTick: status,
    });
  } finally {
    clearInterval(timer);
    await dispatcher.stop();
  }
  const n = dispatcher.counts;
  console.error(
    `demo: city stopped: ${n.created} orders created, ${n.pickedUp} picked up, ` +
      `${n.delivered} delivered`,
  );
}

if (import.meta.main) Deno.exit(await demo(Deno.args));
