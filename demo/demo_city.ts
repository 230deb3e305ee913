import type { DemoArgs } from "./demo_args.ts";
import { DemoDispatcher } from "./demo_dispatcher.ts";
import { demoPageUrls } from "./demo_pages.ts";
import { DemoZones } from "./demo_zones.ts";
import { JwtSigner } from "../sim/jwt_signer.ts";
import { OpsClient } from "./ops_client.ts";
import { createRng } from "../sim/rng.ts";
import type { SimStats } from "../sim/sim_stats.ts";
import { runSimulation } from "../sim/simulation.ts";

/** Dev tokens printed by the demo last this long. */
const TOKEN_HOURS = 12;
/** Seconds between progress lines. */
const STATUS_EVERY_S = 10;
/** Radius of each restaurant's zone, metres. */
const ZONE_RADIUS_M = 40;
/** Simulated seconds a driver stays in a restaurant's zone before `driver_at_restaurant`. */
const ZONE_DWELL_SIM_S = 10;

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
  const { dispatcher, zones } = await _dispatcher(a, url, new JwtSigner(secret), signal);
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
  const deleted = await zones.deleteAll();
  console.error(
    `demo: city stopped: ${n.created} orders created, ${n.pickedUp} picked up, ` +
      `${n.delivered} delivered; ${deleted} restaurant zones deleted`,
  );
}

/**
 * The dispatcher of the city, with dev tokens: orders and zones as ops, the nearby search as a
 * dispatcher. The first order it assigns (the opening's quickest) has the pages' URLs printed,
 * with tokens for that order; the first five errors are printed.
 */
async function _dispatcher(
  a: DemoArgs,
  url: string,
  signer: JwtSigner,
  signal: AbortSignal,
): Promise<{ dispatcher: DemoDispatcher; zones: DemoZones }> {
  const exp = Math.floor(Date.now() / 1000) + TOKEN_HOURS * 3600;
  const opsId = `${a.prefix}-ops`;
  const dispatcherToken = await signer.sign({
    sub: `${a.prefix}-dispatcher`,
    role: "dispatcher",
    exp,
  });
  const ops = new OpsClient(url, await signer.sign({ sub: opsId, role: "ops", exp }), {
    signal,
    dispatcherToken,
  });
  let printed = false;
  let errorsShown = 0;
  const onError = (error: unknown) => {
    if (errorsShown++ < 5) console.error(`demo: ${(error as Error).message}`);
  };
  const zones = new DemoZones(ops, {
    radiusM: ZONE_RADIUS_M,
    dwellSeconds: Math.max(1, Math.round(ZONE_DWELL_SIM_S / a.timeScale)),
    onError,
  });
  const dispatcher = new DemoDispatcher({
    ops,
    zones,
    area: a.area,
    rng: createRng(a.seed ^ 0x0de0),
    prefix: a.prefix,
    activeOrders: a.orders,
    onAssigned: (order, opening) => {
      if (printed) return;
      printed = true;
      demoPageUrls(`http://localhost:${a.port}`, { signer, exp, order, opsId })
        .then((u) => console.log(_pagesText(order, u, opening)));
    },
    onError,
  });
  return { dispatcher, zones };
}

/** What a newcomer should open, printed once the first order is assigned (the demo is ready). */
function _pagesText(
  order: { id: string; restaurantId: string; driverId: string | null },
  u: { fleet: string; track: string; restaurant: string; replay: string },
  opening: boolean,
): string {
  const order1 = opening
    ? "its driver waits at the restaurant: picked up within seconds, delivered within 20 s"
    : "its driver on the way to the restaurant, then to the customer";
  return `\nThe demo is ready. Open (tokens valid ${TOKEN_HOURS} h; Ctrl-C stops the demo):\n` +
    `  fleet map (ops):           ${u.fleet}\n` +
    `    every driver, a zone around each restaurant and its enter / exit / dwell events\n` +
    `  order ${order.id} (customer): ${u.track}\n` +
    `    ${order1}\n` +
    `  restaurant ${order.restaurantId}: ${u.restaurant}\n` +
    `    the restaurant's orders, their statuses and "driver at the restaurant" arrivals\n` +
    `  replay of ${order.driverId} (ops): ${u.replay}\n` +
    `  API reference: http://localhost:${new URL(u.fleet).port}/docs\n`;
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
