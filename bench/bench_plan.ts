import { type BenchArgs, planLevels } from "./bench_args.ts";
import type { LevelSpec } from "./bench_level.ts";

/** The service's levels of one bench run, and whether its seed scenario can run. */
export interface BenchPlan {
  /** the offered loads of `--levels`, as levels under the `--max-drivers` cap */
  specs: LevelSpec[];
  /** the seed scenario (`--seed-drivers` every `--seed-interval`) */
  seed: LevelSpec;
  /** service instances for the seed scenario */
  seedInstances: number;
  /** why the seed scenario cannot run (its sockets exceed the open-files limit); else undefined */
  seedBlocked: string | undefined;
}

/**
 * Connections a second of the seed scenario's ramp unless `--seed-ramp` says otherwise. At 500 a
 * second (50,000 drivers in 100 s, the others sending meanwhile) the ramp on the 2-core box ran 30 s
 * late and its backlog, 81,688 fixes, fell into the steady window (ack p99 1.9 s); at 250 it ended on
 * time (163 ms): docs/performance.md, "One regional consumer".
 */
export const SEED_CONNECTS_PER_SECOND = 250;

/**
 * Plans the service's levels from the arguments and `hard`, the open-files hard limit (undefined
 * when unknown): each instance holds its drivers' sockets under that limit, which caps the
 * drivers per level and sets the seed scenario's instances.
 */
export function planBench(a: BenchArgs, hard: number | undefined): BenchPlan {
  // Each instance holds its drivers' sockets: one file descriptor each, under its own limit.
  const socketsPerInstance = Math.max(1000, (hard ?? 1_000_000) - 1000);
  const maxDrivers = a.maxDrivers === "auto" ? a.instances * socketsPerInstance : a.maxDrivers;
  const specs = planLevels(a.levels, {
    intervalMs: a.intervalMs,
    durationS: a.durationS,
    maxDrivers,
  });
  const seed: LevelSpec = {
    name: "seed",
    drivers: a.seedDrivers,
    intervalMs: a.seedIntervalMs,
    durationS: a.seedDurationS,
    rampUpS: a.seedRampS ?? Math.max(3, Math.ceil(a.seedDrivers / SEED_CONNECTS_PER_SECOND)),
  };
  // Enough instances for the seed's sockets under the open-files limit, unless told otherwise.
  const seedInstances = a.seedInstances === "auto"
    ? Math.max(a.instances, Math.ceil(a.seedDrivers / socketsPerInstance))
    : a.seedInstances;
  const seedBlocked = !a.url && a.seedDrivers > seedInstances * socketsPerInstance && !a.forceSeed
    ? `open-files hard limit ${hard}: ${seedInstances} instance(s) hold at most ` +
      `${seedInstances * socketsPerInstance} sockets < ${a.seedDrivers} (raise the limit or ` +
      `--seed-instances: see bench/README.md)`
    : undefined;
  return { specs, seed, seedInstances, seedBlocked };
}
