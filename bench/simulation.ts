import { DEV_JWT_SECRET } from "../infra/config.ts";
import { type Area, BENGALURU_AREA } from "./area.ts";
import { JwtSigner } from "./jwt_signer.ts";
import type { LatencyHistogramJson } from "./latency_histogram.ts";
import { createRng } from "./rng.ts";
import { RouteWalker } from "./route_walker.ts";
import { SimDriver, type SimDriverTarget } from "./sim_driver.ts";
import { type SimCounters, SimStats } from "./sim_stats.ts";
import { startFleetViewers } from "./fleet_viewer_client.ts";
import { startViewers } from "./viewer_client.ts";

/** Options of {@linkcode runSimulation}; defaults in {@linkcode SIMULATION_DEFAULTS}. */
export interface SimulationOptions {
  drivers: number;
  /** ms between one driver's fixes */
  intervalMs: number;
  /** seconds of steady sending after the ramp-up */
  durationS: number;
  /** seconds over which connections are opened */
  rampUpS: number;
  /**
   * service base URL, `http://127.0.0.1:8000` (ws:// also accepted), or several separated by
   * commas (instances of one cluster): driver i connects to URL `i % n`, like a load balancer
   */
  url: string;
  /**
   * base URL(s) of the customer viewers' REST and sockets when they differ from `url` (the
   * bench's floor pipeline serves viewers from its tailer process); empty = `url`
   */
  viewerUrl: string;
  secret: string;
  /**
   * customer viewers on `/ws/orders/:orderId` (0 = off): viewer i watches an order assigned to
   * driver i, so at most `drivers`; all of them run in shard 0
   */
  viewers: number;
  /**
   * share of drivers (0..1) with an active order, assigned at the start: the first
   * `max(viewers, round(orderShare * drivers))` drivers; orders beyond the viewers' are not watched
   */
  orderShare: number;
  /**
   * ops fleet maps on `/ws/fleet` (0 = off), each with a viewport covering the simulated city;
   * all of them run in shard 0
   */
  fleetViewers: number;
  /** loopback source addresses to spread connections over (empty = let the kernel choose) */
  sourceIps: string[];
  /** target addresses replacing the URL's host, round-robin (empty = the URL's host) */
  targetIps: string[];
  /** send the JWT as `?token=` instead of an Authorization header */
  tokenInQuery: boolean;
  /** driver ids are `${prefix}-${index}` */
  prefix: string;
  seed: number;
  /** this process simulates drivers with index % shards === shard */
  shard: number;
  shards: number;
  /** seconds to wait for the last acks after sending stops */
  drainS: number;
  /**
   * simulated seconds per real second of the drivers' movement (see `SimDriverOptions`);
   * in-process only: `runShardedSimulation` does not pass it to its shards
   */
  timeScale: number;
  /** where the drivers drive; in-process only, like `timeScale` */
  area: Area;
}

/** Defaults of {@linkcode SimulationOptions}. */
export const SIMULATION_DEFAULTS: SimulationOptions = Object.freeze({
  drivers: 100,
  intervalMs: 1000,
  durationS: 30,
  rampUpS: 5,
  url: "http://127.0.0.1:8000",
  viewerUrl: "",
  secret: DEV_JWT_SECRET,
  viewers: 0,
  orderShare: 0,
  fleetViewers: 0,
  sourceIps: [],
  targetIps: [],
  tokenInQuery: false,
  prefix: `sim-${Date.now().toString(36)}`,
  seed: 1,
  shard: 0,
  shards: 1,
  drainS: 3,
  timeScale: 1,
  area: BENGALURU_AREA,
});

/** The outcome of one simulator process (merge several with `SimStats.merge`). */
export interface SimulationResult {
  counters: SimCounters;
  ackHistogram: LatencyHistogramJson;
  viewerHistogram: LatencyHistogramJson;
  /** sent and acked at the start and end of the steady window */
  window: { seconds: number; sent: number; acked: number };
  peakOpen: number;
  rampSeconds: number;
}

const TICK_MS = 20;

/** The base URLs in a `url` option: one, or several separated by commas; ws:// becomes http://. */
export function serviceUrls(url: string): URL[] {
  const list = url.split(",").map((u) => u.trim()).filter((u) => u !== "");
  if (list.length === 0) throw new RangeError("no service URL");
  return list.map((u) => new URL(u.replace(/^ws/, "http")));
}

/** Drivers with an active order: the viewers' and `orderShare` of all, whichever is more. */
export function activeOrders(
  o: Pick<SimulationOptions, "drivers" | "viewers" | "orderShare">,
): number {
  return Math.min(o.drivers, Math.max(o.viewers, Math.round(o.orderShare * o.drivers)));
}

/** Where a simulation is: opening sockets, sending steadily, or waiting for the last acks. */
export type SimPhase = "ramp" | "steady" | "drain";

/** Callbacks and cancellation of {@linkcode runSimulation}. */
export interface SimulationHooks {
  /** The live stats and phase, about once a second. */
  onTick?: (stats: SimStats, phase: SimPhase) => void;
  /** Ends the steady phase early (drain and close follow). */
  signal?: AbortSignal;
  /** This process's drivers, once built (before any connects): to steer them on errands. */
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
  const clients = o.sourceIps.map((ip) => Deno.createHttpClient({ localAddress: ip }));
  // Tokens outlive the run by an hour; a run without end (durationS Infinity, the demo) signs
  // each connection's token for a day from its connect.
  const expFrom = (nowS: number) => nowS + o.rampUpS + Math.min(o.durationS, 86_400) + 3600;
  const exp = expFrom(Math.floor(Date.now() / 1000));
  const mine: number[] = [];
  for (let i = o.shard; i < o.drivers; i += o.shards) mine.push(i);
  const onOrder = hooks.onOrder;
  const drivers: SimDriver[] = mine.map((i, k) =>
    new SimDriver(
      `${o.prefix}-${i}`,
      new RouteWalker(createRng(o.seed + i), { area: o.area }),
      stats,
      {
        timeScale: o.timeScale,
        ...(onOrder ? { onOrder: (orderId, status) => onOrder(drivers[k]!, orderId, status) } : {}),
      },
    )
  );
  hooks.onDrivers?.(drivers);
  // Timing wheel: driver k sends in slot (phase / TICK); phases spread over the interval.
  const slots = Math.max(1, Math.round(o.intervalMs / TICK_MS));
  const wheel: SimDriver[][] = Array.from({ length: slots }, () => []);
  mine.forEach((i, k) => wheel[Math.floor((i / o.drivers) * slots) % slots]!.push(drivers[k]!));

  let running = true;
  const targetFor = async (k: number): Promise<SimDriverTarget> => {
    const i = mine[k]!;
    const u = new URL("/ws/driver", bases[i % bases.length]);
    u.protocol = u.protocol === "https:" ? "wss:" : "ws:";
    if (o.targetIps.length) u.hostname = o.targetIps[i % o.targetIps.length]!;
    const token = await signer.sign({
      sub: drivers[k]!.id,
      role: "driver",
      exp: expFrom(Math.floor(Date.now() / 1000)),
    });
    if (o.tokenInQuery) u.searchParams.set("token", token);
    const client = clients.length ? clients[i % clients.length] : undefined;
    return {
      url: u.href,
      ...(o.tokenInQuery ? {} : { headers: { authorization: `Bearer ${token}` } }),
      ...(client ? { client } : {}),
    };
  };
  const retries = new Set<ReturnType<typeof setTimeout>>();
  const connect = async (k: number): Promise<void> => {
    await drivers[k]!.connect(await targetFor(k), () => {
      // A real app reconnects after a drop or a failed handshake; so do we, with jitter.
      if (!running) return;
      const t = setTimeout(() => {
        retries.delete(t);
        if (running && !drivers[k]!.active) connect(k);
      }, 1000 + Math.random() * 1000);
      retries.add(t);
    });
  };

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

  const t0 = performance.now();
  let peakOpen = 0;
  let rampSeconds = 0;
  let windowStart: { at: number; sent: number; acked: number } | undefined;
  let nextConnect = 0;
  let lastSlot = -1;
  let lastTick = t0;
  const inflight = () => stats.c.connecting;
  const done = new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const now = performance.now();
      const elapsed = now - t0;
      // Ramp-up: open connections linearly, at most 256 handshakes in flight.
      const want = o.rampUpS > 0
        ? Math.min(drivers.length, Math.ceil((elapsed / (o.rampUpS * 1000)) * drivers.length))
        : drivers.length;
      while (nextConnect < want && inflight() < 256) connect(nextConnect++);
      // The steady window opens once every handshake has settled, or 30 s past the ramp even
      // if some have not (a service that stalls handshakes would otherwise hold it shut forever;
      // the rest keep connecting).
      const settled = (nextConnect >= drivers.length && stats.c.connecting === 0) ||
        elapsed > (o.rampUpS + 30) * 1000;
      if (settled && !windowStart) {
        rampSeconds = elapsed / 1000;
        windowStart = { at: now, sent: stats.c.sent, acked: stats.c.acked };
        stats.latencyFrom = { perf: now, wall: Date.now() };
      }
      // Send: every slot whose time has come since the last tick.
      const slot = Math.floor(elapsed / TICK_MS);
      const wall = Date.now();
      for (let s = Math.max(lastSlot + 1, slot - slots + 1); s <= slot; s++) {
        for (const d of wheel[s % slots]!) d.sendFix(wall, now);
      }
      lastSlot = slot;
      peakOpen = Math.max(peakOpen, stats.c.open);
      if (now - lastTick >= 1000) {
        lastTick = now;
        hooks.onTick?.(stats, windowStart ? "steady" : "ramp");
      }
      const end = windowStart && now - windowStart.at >= o.durationS * 1000;
      if (end || hooks.signal?.aborted) {
        clearInterval(timer);
        resolve();
      }
    }, TICK_MS);
  });
  await done;
  const window = {
    seconds: (performance.now() - (windowStart?.at ?? t0)) / 1000,
    sent: stats.c.sent - (windowStart?.sent ?? 0),
    acked: 0,
  };
  const ackedAtEnd = stats.c.acked;
  // Drain: wait for acks of what was sent, then close everything.
  const drainEnd = performance.now() + o.drainS * 1000;
  while (performance.now() < drainEnd && drivers.some((d) => d.unacked > 0 && d.open)) {
    await new Promise((r) => setTimeout(r, 100));
    if (performance.now() - lastTick >= 1000) {
      lastTick = performance.now();
      hooks.onTick?.(stats, "drain");
    }
  }
  window.acked = ackedAtEnd - (windowStart?.acked ?? 0);
  running = false;
  for (const t of retries) clearTimeout(t);
  await viewers?.stop();
  await fleetViewers?.stop();
  for (const d of drivers) d.close();
  const closeEnd = performance.now() + 5000;
  while (performance.now() < closeEnd && drivers.some((d) => d.active)) {
    await new Promise((r) => setTimeout(r, 50));
  }
  for (const c of clients) c.close();
  return {
    counters: stats.snapshot(),
    ackHistogram: stats.ackLatency.toJSON(),
    viewerHistogram: stats.viewerLatency.toJSON(),
    window,
    peakOpen,
    rampSeconds,
  };
}
