import { DriverConnector } from "./driver_connector.ts";
import { startFleetViewers } from "./fleet_viewer_client.ts";
import { JwtSigner } from "./jwt_signer.ts";
import { sendLoop } from "./send_loop.ts";
import type { LatencyHistogramJson } from "./latency_histogram.ts";
import { createRng } from "./rng.ts";
import { RouteWalker } from "./route_walker.ts";
import { type FleetDriver, PhoneDriver } from "./phone_driver.ts";
import { PhoneRegistrar, type PhoneRegistrarOptions } from "./phone_registrar.ts";
import { SimDriver } from "./sim_driver.ts";
import { type SimCounters, SimStats } from "./sim_stats.ts";
import {
  activeOrders,
  isPhone,
  serviceUrls,
  SIMULATION_DEFAULTS,
  type SimulationOptions,
} from "./simulation_options.ts";
import { startViewers, type ViewerSet } from "./viewer_client.ts";

/** The outcome of one simulator process (merge several with `SimStats.merge`). */
export interface SimulationResult {
  counters: SimCounters;
  ackHistogram: LatencyHistogramJson;
  viewerHistogram: LatencyHistogramJson;
  /** the ack histograms of the socket drivers' and of the phones' fixes alone */
  wsAckHistogram: LatencyHistogramJson;
  osmandAckHistogram: LatencyHistogramJson;
  /** sent and acked at the start and end of the steady window */
  window: { seconds: number; sent: number; acked: number };
  peakOpen: number;
  rampSeconds: number;
}

/** Where a simulation is: opening sockets, sending steadily, or waiting for the last acks. */
export type SimPhase = "ramp" | "steady" | "drain";

/** Callbacks and cancellation of {@linkcode runSimulation}. */
export interface SimulationHooks {
  /** The live stats and phase, about once a second. */
  onTick?: (stats: SimStats, phase: SimPhase) => void;
  /** Ends the steady phase early (drain and close follow). */
  signal?: AbortSignal;
  /**
   * This process's socket drivers (not its phones), once built (before any connects): to steer
   * them on errands.
   */
  onDrivers?: (drivers: readonly SimDriver[]) => void;
  /** The server's answer to a driver's order event (`SimDriver.sendOrderEvent`). */
  onOrder?: (driver: SimDriver, orderId: string, status: string) => void;
}

/**
 * Runs simulated drivers against the service: ramps connections up, sends one fix per driver
 * every `intervalMs` (phases spread evenly over the interval), then drains acks and closes.
 * `onTick` gets the live stats and phase about once a second.
 */
export async function runSimulation(
  options: Partial<SimulationOptions>,
  hooks: SimulationHooks = {},
): Promise<SimulationResult> {
  const o = { ...SIMULATION_DEFAULTS, ...options };
  const stats = new SimStats();
  // Latency is measured over the steady window only (set when it opens).
  stats.latencyFrom = { perf: Infinity, wall: Infinity };
  const signer = new JwtSigner(o.secret);
  const bases = serviceUrls(o.url);
  // Tokens outlive the run by an hour; a run without end (durationS Infinity, the demo) signs
  // each connection's token for a day from its connect.
  const expFrom = (nowS: number) => nowS + o.rampUpS + Math.min(o.durationS, 86_400) + 3600;
  const exp = expFrom(Math.floor(Date.now() / 1000));
  const mine: number[] = [];
  for (let i = o.shard; i < o.drivers; i += o.shards) mine.push(i);
  const drivers = _buildDrivers(o, mine, stats, hooks.onOrder);
  hooks.onDrivers?.(drivers.filter((d) => d instanceof SimDriver));
  const registrar = await _registerPhones(mine, drivers, {
    bases,
    signer,
    exp,
    opsSub: `${o.prefix}-ops`,
    stats,
  }, hooks.signal);
  const connector = new DriverConnector({
    drivers,
    mine,
    ...(registrar ? { phones: registrar } : {}),
    bases,
    targetIps: o.targetIps,
    sourceIps: o.sourceIps,
    tokenInQuery: o.tokenInQuery,
    signer,
    expFrom,
  });
  const watchers = _startWatchers(o, bases, signer, exp, stats);
  const sending = await sendLoop(o, mine, drivers, connector, stats, hooks);
  const { windowStart, t0 } = sending;
  const window = {
    seconds: (performance.now() - (windowStart?.at ?? t0)) / 1000,
    sent: stats.c.sent - (windowStart?.sent ?? 0),
    acked: 0,
  };
  const ackedAtEnd = stats.c.acked;
  // Drain: wait for acks of what was sent, then close everything.
  await _drain(o, drivers, stats, hooks, sending.lastTick);
  window.acked = ackedAtEnd - (windowStart?.acked ?? 0);
  await _close(connector, watchers, drivers);
  return {
    counters: stats.snapshot(),
    ackHistogram: stats.ackLatency.toJSON(),
    viewerHistogram: stats.viewerLatency.toJSON(),
    wsAckHistogram: stats.wsAckLatency.toJSON(),
    osmandAckHistogram: stats.osmandAckLatency.toJSON(),
    window,
    peakOpen: sending.peakOpen,
    rampSeconds: sending.rampSeconds,
  };
}

/**
 * This process's drivers: `drivers[k]` is driver number `mine[k]`, on its own seeded route, a
 * phone when {@linkcode isPhone} says so at `osmandShare`.
 */
function _buildDrivers(
  o: SimulationOptions,
  mine: readonly number[],
  stats: SimStats,
  onOrder: SimulationHooks["onOrder"],
): FleetDriver[] {
  return mine.map((i) => {
    const id = `${o.prefix}-${i}`;
    const walker = new RouteWalker(createRng(o.seed + i), { area: o.area });
    if (isPhone(i, o.osmandShare)) {
      return new PhoneDriver(id, walker, stats, { timeScale: o.timeScale });
    }
    const driver: SimDriver = new SimDriver(id, walker, stats, {
      timeScale: o.timeScale,
      ...(onOrder ? { onOrder: (orderId, status) => onOrder(driver, orderId, status) } : {}),
    });
    return driver;
  });
}

/**
 * Registers the phones among `drivers` (`drivers[k]` is driver number `mine[k]`) before the
 * ramp-up, so the set-ups' cost is outside the steady window; their registrar, if any.
 */
async function _registerPhones(
  mine: readonly number[],
  drivers: readonly FleetDriver[],
  o: PhoneRegistrarOptions,
  signal: AbortSignal | undefined,
): Promise<PhoneRegistrar | undefined> {
  const phones = mine.flatMap((i, k) => {
    const d = drivers[k]!;
    return d instanceof PhoneDriver ? [[i, d] as [number, PhoneDriver]] : [];
  });
  if (phones.length === 0) return undefined;
  const registrar = new PhoneRegistrar(o);
  await registrar.registerAll(phones, signal);
  return registrar;
}

/** The customer viewers and ops fleet maps of the run (shard 0 only), in the order they stop. */
function _startWatchers(
  o: SimulationOptions,
  bases: URL[],
  signer: JwtSigner,
  exp: number,
  stats: SimStats,
): ViewerSet[] {
  const orders = activeOrders(o);
  const viewers = orders > 0 && o.shard === 0
    ? startViewers({
      count: Math.min(o.viewers, o.drivers),
      orders,
      bases: o.viewerUrl ? serviceUrls(o.viewerUrl) : bases,
      signer,
      exp,
      stats,
      driverPrefix: o.prefix,
    })
    : undefined;
  const fleetViewers = o.fleetViewers > 0 && o.shard === 0
    ? startFleetViewers({ count: o.fleetViewers, bases, signer, exp, stats, prefix: o.prefix })
    : undefined;
  return [viewers, fleetViewers].filter((w): w is ViewerSet => w !== undefined);
}

/** Waits, `drainS` at most, for the acks of what was sent; `onTick` about once a second. */
async function _drain(
  o: SimulationOptions,
  drivers: readonly FleetDriver[],
  stats: SimStats,
  hooks: SimulationHooks,
  lastTick: number,
): Promise<void> {
  const drainEnd = performance.now() + o.drainS * 1000;
  while (performance.now() < drainEnd && drivers.some((d) => d.unacked > 0 && d.open)) {
    await new Promise((r) => setTimeout(r, 100));
    if (performance.now() - lastTick >= 1000) {
      lastTick = performance.now();
      hooks.onTick?.(stats, "drain");
    }
  }
}

/** Stops reconnecting and the viewers, closes every driver (5 s at most), then the clients. */
async function _close(
  connector: DriverConnector,
  watchers: readonly ViewerSet[],
  drivers: readonly FleetDriver[],
): Promise<void> {
  connector.stop();
  for (const w of watchers) await w.stop();
  for (const d of drivers) d.close();
  const closeEnd = performance.now() + 5000;
  while (performance.now() < closeEnd && drivers.some((d) => d.active)) {
    await new Promise((r) => setTimeout(r, 50));
  }
  connector.closeClients();
}
