import { type Area, BENGALURU_AREA } from "../../sim/area.ts";
import { createRng } from "../../sim/rng.ts";
import { type Fix, RouteWalker } from "../../sim/route_walker.ts";

/** One simulated fix with its driver and per-driver sequence number. */
export interface SimFix {
  driverId: string;
  seq: number;
  fix: Fix;
}

/** Options of {@linkcode generateFixes}. */
export interface FixStreamOptions {
  /** Number of distinct drivers, fixes go round-robin over them (default 1000). */
  drivers?: number;
  /** Base seed; driver i uses seed + i (default 1), as the simulator does. */
  seed?: number;
  /** Simulated time between one driver's fixes, ms (default 1000). */
  intervalMs?: number;
  /** Fix time of the first round, epoch ms (default now less the whole stream's span). */
  startTs?: number;
  /** Driver id prefix (default "sim"). */
  prefix?: string;
  area?: Area;
}

/**
 * The deterministic stream of fixes the simulator's drivers produce (driver i walks with seed
 * `seed + i`), without sockets: the naive baseline is fed exactly these fixes.
 */
export function* generateFixes(count: number, options: FixStreamOptions = {}): Generator<SimFix> {
  const drivers = Math.max(1, Math.min(options.drivers ?? 1000, count));
  const seed = options.seed ?? 1;
  const interval = options.intervalMs ?? 1000;
  const rounds = Math.ceil(count / drivers);
  const start = options.startTs ?? Date.now() - rounds * interval;
  const prefix = options.prefix ?? "sim";
  const area = options.area ?? BENGALURU_AREA;
  const walkers = Array.from(
    { length: drivers },
    (_, i) => new RouteWalker(createRng(seed + i), { area }),
  );
  let n = 0;
  for (let round = 0; n < count; round++) {
    for (let i = 0; i < drivers && n < count; i++, n++) {
      const w = walkers[i]!;
      w.advance(interval / 1000);
      yield {
        driverId: `${prefix}-${i}`,
        seq: round,
        fix: w.fix(start + round * interval + i % interval),
      };
    }
  }
}
