import { parseArgs } from "node:util";
import { DEV_JWT_SECRET } from "../infra/config.ts";
import type { LevelSpec } from "./bench_level.ts";
import { parseIpList } from "../sim/ip_list.ts";
import { osmandShareAt, parseOrderShare } from "../sim/simulate_args.ts";

/** Parsed command line of `bench.ts`. */
export interface BenchArgs {
  smoke: boolean;
  /** service base URL; when set, the bench uses that running service instead of starting one */
  url: string | undefined;
  port: number;
  /** service instances the bench starts (ports `port` upwards); drivers are spread over them */
  instances: number;
  /** worker processes per instance (`start.ts --workers N` when above 1), sharing its port */
  workers: number;
  /** CPUs the service processes are pinned to (`taskset -c`), e.g. "1"; undefined: not pinned */
  serviceCpus: string | undefined;
  secret: string;
  databaseUrl: string;
  levels: number[];
  intervalMs: number;
  durationS: number;
  /** cap on simulated drivers per level ("auto": the open-files hard limit less 1,000) */
  maxDrivers: number | "auto";
  drainS: number;
  ceilingRecords: number;
  naiveFixes: number;
  skipCeiling: boolean;
  skipNaive: boolean;
  skipSeed: boolean;
  /** skip the floor pipeline (bare WebSocket server, writer and tailer) at each level */
  skipFloor: boolean;
  /** skip the naive tutorial pipeline at each level */
  skipNaivePipeline: boolean;
  /** skip the service's CPU profile per level (per-stage µs per fix) */
  skipStageProfile: boolean;
  forceSeed: boolean;
  seedDrivers: number;
  seedIntervalMs: number;
  seedDurationS: number;
  /** seconds over which the seed scenario's drivers connect (default: 2,000 connections/s) */
  seedRampS: number | undefined;
  /** instances for the seed scenario ("auto": enough for its sockets under the open-files limit) */
  seedInstances: number | "auto";
  procs: number | "auto";
  /** customer viewers per level (default 0), or in the smoke run (default 20) */
  viewers: number | undefined;
  /** share of drivers with an active order at every level (0..1, default 0) */
  orderShare: number;
  /** ops fleet maps on /ws/fleet per level, each viewing the whole city (default 0) */
  fleetViewers: number;
  /** share of drivers (0..1) that are phones on the OsmAnd protocol, at every level (default 0) */
  osmandShare: number;
  /** loopback source addresses for the simulator (empty: one per 25,000 drivers per instance) */
  sourceIps: string[];
  out: string;
  help: boolean;
}

/** Usage text of `deno task bench`. */
export const BENCH_USAGE = `deno task bench [options]
  --smoke              300 drivers and 20 customer viewers for 5 s against a running service
                       (--url, default http://127.0.0.1:8000); exit 1 on a failed connection,
                       unacked fixes, any error, or viewers without snapshot or positions
  --url URL            measure a running service (no CPU/RSS) instead of starting main.ts
  --port N             port of the service the bench starts (default 18080)
  --instances N        service instances to start, on ports N, N+1, ... (default 1): one
                       cluster sharing Kafka; drivers and viewers are spread over them like a
                       load balancer would (a viewer on another instance than its driver)
  --workers N          worker processes per instance (default 1); above 1 the instance is
                       started through start.ts --workers N, all on its one port
  --service-cpus LIST  pin the service processes to these CPUs (taskset -c LIST, e.g. 1);
                       run the bench itself under taskset to pin the simulator apart
  --levels LIST        offered loads, fixes/s (default 5000,20000,50000,100000)
  --interval MS        ms between one driver's fixes at those levels (default 1000)
  --max-drivers N      drivers per level at most; above it the interval shortens to keep the
                       rate (default auto = instances x (open-files hard limit - 1000))
  --duration S         steady seconds per level (default 30)
  --drain S            seconds to wait for the history writer after a level (default 60)
  --ceiling-records N  ProducerPerformance records (default 500000)
  --naive-fixes N      fixes for the naive kafkajs baseline (default 20000)
  --skip-ceiling, --skip-naive, --skip-seed
  --skip-floor         no floor pipeline (bare WebSocket -> Kafka -> PostgreSQL and viewers)
  --skip-naive-pipeline  no naive tutorial pipeline (kafkajs, one awaited send per fix)
  --stage-profile      a CPU profile of the service per level, for the per-stage µs per fix;
                       it attaches the V8 inspector, which slows the service: take the
                       service's own figures from a run without it (--skip-stage-profile: the
                       default); each profile is also written beside the results as
                       <stamp>-<level>.cpuprofile (DevTools' Performance panel opens it)
  --seed-drivers N     seed scenario drivers (default 100000) --seed-interval MS (default 5000)
  --seed-duration S    steady seconds of the seed scenario (default 300)
  --seed-ramp S        seconds over which its drivers connect (default: 250 per second)
  --seed-instances N   service instances for the seed scenario (default auto: at least
                       --instances, and enough to hold its sockets under the open-files limit)
  --force-seed         run the seed scenario even if the open-files limit is too low
  --procs N|auto       simulator processes per level (default auto)
  --viewers N          customer viewers per level on /ws/orders/:id, each following an order
                       assigned to one driver (default 0; 20 with --smoke)
  --order-share F      share of drivers (0..1) with an active order at every level (default 0);
                       the first --viewers of those orders are watched
  --fleet-viewers N    ops fleet maps per level on /ws/fleet, each sending a viewport that
                       covers the simulated city (default 0)
  --osmand-share F     share of drivers (0..1) that are phones posting to /osmand as Traccar
                       Client 10 does, instead of driver sockets, at every level (default 0;
                       1 = all phones); needs --interval >= 1000
  --source-ips LIST    simulator source addresses, e.g. 127.0.0.1-127.0.0.4 (default: none
                       while an instance takes at most 25,000 drivers, else one per 25,000
                       drivers per instance, 127.0.0.1 upwards)
  --secret S           JWT_SECRET (default $JWT_SECRET or the dev secret)
  --database-url URL   (default $DATABASE_URL or postgres://postgres@127.0.0.1:5432/test)
  --out DIR            where results go (default bench/results)`;

/** The `parseArgs` options of `bench.ts` (numbers come as strings, checked after). */
const _OPTIONS = {
  smoke: { type: "boolean" },
  url: { type: "string" },
  port: { type: "string" },
  instances: { type: "string" },
  workers: { type: "string" },
  "service-cpus": { type: "string" },
  secret: { type: "string" },
  "database-url": { type: "string" },
  levels: { type: "string" },
  interval: { type: "string" },
  duration: { type: "string" },
  "max-drivers": { type: "string" },
  drain: { type: "string" },
  "ceiling-records": { type: "string" },
  "naive-fixes": { type: "string" },
  "skip-ceiling": { type: "boolean" },
  "skip-naive": { type: "boolean" },
  "skip-seed": { type: "boolean" },
  "skip-floor": { type: "boolean" },
  "skip-naive-pipeline": { type: "boolean" },
  "skip-stage-profile": { type: "boolean" },
  "stage-profile": { type: "boolean" },
  "force-seed": { type: "boolean" },
  "seed-drivers": { type: "string" },
  "seed-interval": { type: "string" },
  "seed-duration": { type: "string" },
  "seed-ramp": { type: "string" },
  "seed-instances": { type: "string" },
  procs: { type: "string" },
  viewers: { type: "string" },
  "order-share": { type: "string" },
  "fleet-viewers": { type: "string" },
  "osmand-share": { type: "string" },
  "source-ips": { type: "string" },
  out: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** Parses `bench.ts` arguments; throws a RangeError on a bad value. */
export function parseBenchArgs(args: string[], env: Record<string, string> = {}): BenchArgs {
  const { values: v } = parseArgs({ args, options: _OPTIONS });
  const levels = (v.levels ?? "5000,20000,50000,100000").split(",").map((s) => s.trim()).filter(
    Boolean,
  )
    .map((s) => _num("levels", s, 0));
  return {
    smoke: v.smoke ?? false,
    url: v.url ?? (v.smoke ? env.BENCH_URL ?? "http://127.0.0.1:8000" : undefined),
    port: _num("port", v.port, 18080),
    instances: _num("instances", v.instances, 1),
    workers: _num("workers", v.workers, 1),
    serviceCpus: _cpuList(v["service-cpus"]),
    secret: v.secret ?? env.JWT_SECRET ?? DEV_JWT_SECRET,
    databaseUrl: v["database-url"] ?? env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test",
    levels,
    intervalMs: _num("interval", v.interval, 1000),
    durationS: _num("duration", v.duration, 30),
    maxDrivers: v["max-drivers"] === undefined || v["max-drivers"] === "auto"
      ? "auto"
      : _num("max-drivers", v["max-drivers"], 1),
    drainS: _num("drain", v.drain, 60, 0),
    ceilingRecords: _num("ceiling-records", v["ceiling-records"], 500_000),
    naiveFixes: _num("naive-fixes", v["naive-fixes"], 20_000),
    skipCeiling: v["skip-ceiling"] ?? false,
    skipNaive: v["skip-naive"] ?? false,
    skipSeed: v["skip-seed"] ?? false,
    skipFloor: v["skip-floor"] ?? false,
    skipNaivePipeline: v["skip-naive-pipeline"] ?? false,
    skipStageProfile: v["skip-stage-profile"] === true || v["stage-profile"] !== true,
    forceSeed: v["force-seed"] ?? false,
    seedDrivers: _num("seed-drivers", v["seed-drivers"], 100_000),
    seedIntervalMs: _num("seed-interval", v["seed-interval"], 5000),
    seedDurationS: _num("seed-duration", v["seed-duration"], 300),
    seedRampS: v["seed-ramp"] === undefined ? undefined : _num("seed-ramp", v["seed-ramp"], 0),
    seedInstances: v["seed-instances"] === undefined || v["seed-instances"] === "auto"
      ? "auto"
      : _num("seed-instances", v["seed-instances"], 1),
    procs: v.procs === undefined || v.procs === "auto" ? "auto" : _num("procs", v.procs, 1),
    viewers: v.viewers === undefined ? undefined : _num("viewers", v.viewers, 0, 0),
    orderShare: parseOrderShare(v["order-share"]) ?? 0,
    fleetViewers: _num("fleet-viewers", v["fleet-viewers"], 0, 0),
    osmandShare: osmandShareAt(v["osmand-share"], _num("interval", v.interval, 1000)),
    sourceIps: parseIpList(v["source-ips"] ?? ""),
    out: v.out ?? new URL("./results/", import.meta.url).pathname,
    help: v.help ?? false,
  };
}

/**
 * Turns offered loads (fixes/s) into load levels: `rate * interval / 1000` drivers, but at
 * most `maxDrivers`, in which case the interval shortens so the offered rate stays the same.
 * Connections ramp up at about 2,000 per second (at least 3 s).
 */
export function planLevels(
  rates: number[],
  o: { intervalMs: number; durationS: number; maxDrivers: number },
): LevelSpec[] {
  return rates.map((rate) => {
    let drivers = Math.max(1, Math.round((rate * o.intervalMs) / 1000));
    let intervalMs = o.intervalMs;
    if (drivers > o.maxDrivers) {
      drivers = o.maxDrivers;
      intervalMs = Math.max(1, Math.round((drivers * 1000) / rate));
    }
    return {
      name: `${rate >= 1000 ? `${+(rate / 1000).toFixed(1)}k` : rate}fps`,
      drivers,
      intervalMs,
      durationS: o.durationS,
      rampUpS: Math.max(3, Math.ceil(drivers / 2000)),
    };
  });
}

/** A number option `--name` of at least `min`, or `fallback` when absent. */
function _num(name: string, s: string | undefined, fallback: number, min = 1): number {
  if (s === undefined) return fallback;
  const n = Number(s);
  if (!Number.isFinite(n) || n < min) {
    throw new RangeError(`--${name} must be a number >= ${min}`);
  }
  return n;
}

/** `--service-cpus`: a `taskset -c` CPU list, or undefined when absent. */
function _cpuList(s: string | undefined): string | undefined {
  if (s === undefined) return undefined;
  if (!/^\d+(-\d+)?(,\d+(-\d+)?)*$/.test(s)) {
    throw new RangeError("--service-cpus must be a CPU list such as 1 or 0-1,3");
  }
  return s;
}
