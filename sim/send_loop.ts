/**
 * The ramp-up and the steady window of a simulation (`runSimulation`): connections open
 * linearly over the ramp, and every driver sends one fix per interval from its slot of a timing
 * wheel, so the fixes of all drivers spread evenly over the interval.
 * @module
 */
import type { DriverConnector } from "./driver_connector.ts";
import type { FleetDriver } from "./phone_driver.ts";
import type { SimStats } from "./sim_stats.ts";
import type { SimulationHooks } from "./simulation.ts";
import type { SimulationOptions } from "./simulation_options.ts";

/** Period of the send loop, ms: the width of one slot of the timing wheel. */
const TICK_MS = 20;

/** How the ramp-up and the steady window of {@linkcode sendLoop} went. */
export interface SendLoopResult {
  /** when the loop started (`performance.now()`) */
  t0: number;
  /** when the steady window opened, and the counters then (undefined if it never did) */
  windowStart: { at: number; sent: number; acked: number } | undefined;
  peakOpen: number;
  rampSeconds: number;
  /** when `onTick` was last called */
  lastTick: number;
}

/**
 * The ramp-up and the steady window: every tick opens connections up to the ramp's count and
 * sends the fixes of the wheel's slots whose time has come, until the steady window has lasted
 * `durationS` or the signal aborts. `drivers[k]` is driver number `mine[k]` of `o.drivers`.
 */
export function sendLoop(
  o: SimulationOptions,
  mine: readonly number[],
  drivers: readonly FleetDriver[],
  connector: DriverConnector,
  stats: SimStats,
  hooks: Pick<SimulationHooks, "onTick" | "signal">,
): Promise<SendLoopResult> {
  const wheel = _timingWheel(o, mine, drivers);
  const t0 = performance.now();
  const r: SendLoopResult = {
    t0,
    windowStart: undefined,
    peakOpen: 0,
    rampSeconds: 0,
    lastTick: t0,
  };
  let nextConnect = 0;
  let lastSlot = -1;
  const backlogLimit = _rampBacklogLimit(o, drivers.length);
  const inflight = () => stats.c.connecting;
  return new Promise<SendLoopResult>((resolve) => {
    const timer = setInterval(() => {
      const now = performance.now();
      const elapsed = now - t0;
      // Ramp-up: open connections linearly, at most 256 handshakes in flight.
      const want = o.rampUpS > 0
        ? Math.min(drivers.length, Math.ceil((elapsed / (o.rampUpS * 1000)) * drivers.length))
        : drivers.length;
      while (nextConnect < want && inflight() < 256) connector.connect(nextConnect++);
      // The steady window opens once every handshake has settled and the fixes sent during the
      // ramp are acked (connecting costs the service too: a backlog it left would count as the
      // steady window's latency), or 30 s past the ramp even if not (a service that stalls
      // handshakes or acks would otherwise hold it shut forever; the rest keep connecting).
      const connected = nextConnect >= drivers.length && stats.c.connecting === 0;
      const lost = stats.c.errors["unacked_at_close"] ?? 0; // sent on sockets that closed
      const caughtUp = stats.c.sent - stats.c.acked - lost <= backlogLimit;
      const settled = (connected && caughtUp) || elapsed > (o.rampUpS + 30) * 1000;
      if (settled && !r.windowStart) {
        r.rampSeconds = elapsed / 1000;
        r.windowStart = { at: now, sent: stats.c.sent, acked: stats.c.acked };
        stats.latencyFrom = { perf: now, wall: Date.now() };
      }
      // Send: every slot whose time has come since the last tick.
      const slot = Math.floor(elapsed / TICK_MS);
      _sendSlots(wheel, lastSlot + 1, slot, now);
      lastSlot = slot;
      r.peakOpen = Math.max(r.peakOpen, stats.c.open);
      if (now - r.lastTick >= 1000) {
        r.lastTick = now;
        hooks.onTick?.(stats, r.windowStart ? "steady" : "ramp");
      }
      const end = r.windowStart && now - r.windowStart.at >= o.durationS * 1000;
      if (end || hooks.signal?.aborted) {
        clearInterval(timer);
        resolve(r);
      }
    }, TICK_MS);
  });
}

/**
 * Fixes this process may have unacked when the steady window opens: half a second of its
 * drivers' fixes (a service that keeps up has a few tens of milliseconds' worth in flight).
 */
function _rampBacklogLimit(o: Pick<SimulationOptions, "intervalMs">, drivers: number): number {
  return Math.max(1, Math.ceil((drivers * 500) / o.intervalMs));
}

/** The timing wheel: one slot per tick of the interval, each with the drivers that send in it. */
function _timingWheel(
  o: SimulationOptions,
  mine: readonly number[],
  drivers: readonly FleetDriver[],
): FleetDriver[][] {
  // Timing wheel: driver k sends in slot (phase / TICK); phases spread over the interval.
  const slots = Math.max(1, Math.round(o.intervalMs / TICK_MS));
  const wheel: FleetDriver[][] = Array.from({ length: slots }, () => []);
  mine.forEach((i, k) => wheel[Math.floor((i / o.drivers) * slots) % slots]!.push(drivers[k]!));
  return wheel;
}

/**
 * Sends the fixes of the slots of ticks `from` to `to` (counted from the start, so tick `s` is
 * slot `s % slots`); a whole turn of the wheel at most, so no driver sends twice in one call.
 */
function _sendSlots(wheel: readonly FleetDriver[][], from: number, to: number, now: number): void {
  const slots = wheel.length;
  const wall = Date.now();
  for (let s = Math.max(from, to - slots + 1); s <= to; s++) {
    for (const d of wheel[s % slots]!) d.sendFix(wall, now);
  }
}
