import type { DemoArgs } from "./demo_args.ts";
import { DemoDispatcher } from "./demo_dispatcher.ts";
import { demoPageUrls } from "./demo_pages.ts";
import { JwtSigner } from "../sim/jwt_signer.ts";
import { OpsClient } from "./ops_client.ts";
import { createRng } from "../sim/rng.ts";
import type { SimStats } from "../sim/sim_stats.ts";
import { runSimulation } from "../sim/simulation.ts";

/** Dev tokens printed by the demo last this long. */
const TOKEN_HOURS = 12;
/** Seconds between progress lines. */
const STATUS_EVERY_S = 10;

/**
 * The demo's simulated city against the service at `url`, until `signal` aborts: drivers of the
 * load simulator driving about and a dispatcher keeping `--orders` orders under way. Prints the
 * pages' URLs once the first order is assigned, and progress every ten seconds.
 */
export async function runCity(
  a: DemoArgs,
  url: string,
  secret: string,
  signal: AbortSignal,
): Promise<void> {
  const dispatcher = await _dispatcher(a, url, new JwtSigner(secret), signal);
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    dispatcher.tick(((now - last) / 1000) * a.timeScale);
    last = now;
  }, 250);
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
      onTick: _statusPrinter(dispatcher),
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

/**
 * The dispatcher of the city, acting as ops with a dev token: the first order it assigns has
 * the pages' URLs printed (with tokens for that order); its first five errors are printed.
 */
async function _dispatcher(
  a: DemoArgs,
  url: string,
  signer: JwtSigner,
  signal: AbortSignal,
): Promise<DemoDispatcher> {
  const exp = Math.floor(Date.now() / 1000) + TOKEN_HOURS * 3600;
  const opsId = `${a.prefix}-ops`;
  const ops = new OpsClient(url, await signer.sign({ sub: opsId, role: "ops", exp }), { signal });
  const base = `http://localhost:${a.port}`;
  let printed = false;
  let errorsShown = 0;
  return new DemoDispatcher({
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
}

/** The simulation's `onTick`: a progress line every {@linkcode STATUS_EVERY_S} ticks. */
function _statusPrinter(dispatcher: DemoDispatcher): (stats: SimStats) => void {
  let ticks = 0;
  let prevAcked = 0;
  return (stats: SimStats) => {
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
}
