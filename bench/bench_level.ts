import { consumerLag } from "./consumer_lag.ts";
import type { HistoryRows } from "./history_rows.ts";
import { LevelMonitor, type LevelSample } from "./level_monitor.ts";
import type { LoopLag } from "./loop_lag.ts";
import { MachineSampler, type MachineUsage } from "./machine_sampler.ts";
import { type SimulatorSockets, simulatorSockets } from "./simulator_sockets.ts";
import { openFilesLimit } from "../infra/open_files_limit.ts";
import { runShardedSimulation } from "../sim/sharded_simulation.ts";
import { buildSimReport, type SimReport } from "../sim/sim_report.ts";
import {
  serviceUrls,
  SIMULATION_DEFAULTS,
  type SimulationOptions,
} from "../sim/simulation_options.ts";
import { autoSourceIps } from "../sim/source_ips.ts";

/** One offered load to measure. */
export interface LevelSpec {
  name: string;
  drivers: number;
  intervalMs: number;
  durationS: number;
  rampUpS: number;
}

/** What the bench knows about the service under test. */
export interface LevelContext {
  url: string;
  /** base URL of the viewers' REST and sockets when not `url` (the floor's tailer) */
  viewerUrl?: string;
  /** called once when the simulation's steady window opens */
  onSteady?: () => void;
  secret: string;
  /** pids of the service instances when the bench started them (for CPU and memory) */
  servicePids?: number[];
  history?: HistoryRows;
  /** Kafka topic and group of the history writer */
  topic: string;
  group: string;
  /** seconds to wait after the run for the history writer to catch up */
  drainS: number;
  /** simulator processes ("auto": per open-files limit) */
  procs: number | "auto";
  /** customer viewers on /ws/orders/:id (0 = none) */
  viewers?: number;
  /** share of drivers with an active order (0..1; default 0) */
  orderShare?: number;
  /** ops fleet maps on /ws/fleet, each viewing the whole city (default 0) */
  fleetViewers?: number;
  /** share of drivers that are phones on the OsmAnd protocol (0..1; default 0) */
  osmandShare?: number;
  sourceIps: string[];
  /** driver id prefix of this bench run; the level's name is appended */
  prefix: string;
}

/** Everything measured at one load level. */
export interface LevelResult {
  name: string;
  /** service instances the bench ran for this level (absent with --url) */
  instances?: number;
  drivers: number;
  intervalMs: number;
  offeredFixesPerSec: number;
  acceptedFixesPerSec: number;
  /** rows/s inserted into driver_locations during the steady window (pg_stat, approximate) */
  storedFixesPerSec: number | null;
  /** exact rows of this level in driver_locations after the drain */
  storedRows: number | null;
  /** history-writer lag (records) when sending stopped, and after the drain */
  kafkaLagAtEnd: number | null;
  kafkaLagAfterDrain: number | null;
  drainSeconds: number | null;
  /** the service's CPU, and its RSS when the level started (before drivers) and at its peak */
  service: { cpuPercent: number; peakRssMiB: number; startRssMiB: number } | null;
  /**
   * the service's CPU per accepted fix over the steady window, µs: its CPU % of one core ÷ the
   * accepted fixes/s (null without the service's CPU or with nothing accepted)
   */
  serviceUsPerFix: number | null;
  /**
   * the most driver sockets the instances held at once by their own count (sampled every 5 s
   * from /metrics); the simulator's `peakConnections` is the clients' view
   */
  serverPeakDriverSockets: number | null;
  sim: SimReport;
  /**
   * how the machine was shared over the steady window: all CPUs busy, steal, and each role's CPU
   * and highest summed memory (proportional set size) (service, simulator, kafka, postgres, the
   * bench, other), from /proc every 5 s; absent when the window was shorter than two samples
   */
  machine?: MachineUsage;
  /**
   * how late the service's own JavaScript thread ran over the steady window
   * (`tracking_event_loop_lag_seconds`, scraped every 5 s, summed over its processes; absent
   * before 2026-12-08 and for a window shorter than two scrapes)
   */
  serviceLoopLag?: LoopLag;
  /** how the simulator's driver sockets were spread (absent in results before 2026-12-07) */
  simulatorSockets?: SimulatorSockets;
}

/**
 * Runs one load level: the simulator in child processes, while sampling the service's CPU and
 * memory and PostgreSQL's insert count each second; then the history writer's Kafka lag, a
 * drain, and an exact count of the level's stored rows.
 */
export async function runLevel(spec: LevelSpec, ctx: LevelContext): Promise<LevelResult> {
  const prefix = `${ctx.prefix}-${spec.name}`;
  const perProc = Math.max(1, (openFilesLimit() ?? 1_000_000) - 256);
  const procs = ctx.procs === "auto" ? Math.max(1, Math.ceil(spec.drivers / perProc)) : ctx.procs;
  const bases = serviceUrls(ctx.url);
  const monitor = new LevelMonitor(
    spec.name,
    bases,
    ctx,
    new MachineSampler(ctx.servicePids ?? []),
  );
  const options = _simulationOptions(spec, ctx, prefix, bases);
  const results = await runShardedSimulation(
    options,
    procs,
    (c, phase) => monitor.tick(c, phase),
  );
  const sim = buildSimReport(results, {
    drivers: spec.drivers,
    intervalMs: spec.intervalMs,
    viewers: ctx.viewers ?? 0,
    fleetViewers: ctx.fleetViewers ?? 0,
    osmandShare: ctx.osmandShare ?? 0,
  });
  await monitor.settle();
  const steady = _steadyWindow(monitor.samples);
  const drain = await _drainHistory(ctx);
  const storedRows = ctx.history ? await ctx.history.countPrefix(prefix).catch(() => null) : null;
  const { service, cores } = _serviceUsage(monitor, steady);
  const { machine, loopLag } = monitor.windowReport();
  return {
    name: spec.name,
    drivers: spec.drivers,
    intervalMs: spec.intervalMs,
    offeredFixesPerSec: sim.offeredFixesPerSec,
    acceptedFixesPerSec: sim.ackedFixesPerSec,
    storedFixesPerSec: ctx.history && steady ? Math.round(steady.rows / steady.seconds) : null,
    storedRows,
    kafkaLagAtEnd: drain.lagAtEnd,
    kafkaLagAfterDrain: drain.lagAfter,
    drainSeconds: drain.seconds === null ? null : Math.round(drain.seconds * 10) / 10,
    service,
    serviceUsPerFix: cores !== null && sim.ackedFixesPerSec > 0
      ? Math.round((cores / sim.ackedFixesPerSec) * 1e7) / 10
      : null,
    serverPeakDriverSockets: monitor.serverPeak,
    sim,
    ...(machine ? { machine } : {}),
    ...(loopLag ? { serviceLoopLag: loopLag } : {}),
    simulatorSockets: simulatorSockets(spec.drivers, {
      processes: procs,
      instances: bases.length,
      sourceIps: options.sourceIps,
    }),
  };
}

/**
 * The service's CPU (over the steady window when there was one) and RSS, and its CPU in cores
 * unrounded; null when the bench does not watch the service.
 */
function _serviceUsage(
  monitor: LevelMonitor,
  steady: { seconds: number; cpu: number } | undefined,
): { service: LevelResult["service"]; cores: number | null } {
  const usage = monitor.usage();
  if (!usage) return { service: null, cores: null };
  const cores = steady ? steady.cpu / steady.seconds : usage.cpuPercent / 100;
  return {
    service: {
      cpuPercent: Math.round(cores * 100),
      peakRssMiB: usage.peakRssMiB,
      startRssMiB: usage.startRssMiB,
    },
    cores,
  };
}

/** The simulation of a level: its drivers, the service's URL, the context's viewers. */
function _simulationOptions(
  spec: LevelSpec,
  ctx: LevelContext,
  prefix: string,
  bases: URL[],
): SimulationOptions {
  return {
    ...SIMULATION_DEFAULTS,
    drivers: spec.drivers,
    intervalMs: spec.intervalMs,
    durationS: spec.durationS,
    rampUpS: spec.rampUpS,
    url: ctx.url,
    viewerUrl: ctx.viewerUrl ?? "",
    secret: ctx.secret,
    viewers: ctx.viewers ?? 0,
    orderShare: ctx.orderShare ?? 0,
    fleetViewers: ctx.fleetViewers ?? 0,
    osmandShare: ctx.osmandShare ?? 0,
    sourceIps: ctx.sourceIps.length ? ctx.sourceIps : autoSourceIps(spec.drivers, bases.length),
    prefix,
  };
}

/**
 * What changed over the steady window, from its first sample to its last: seconds, rows
 * inserted, service CPU seconds; undefined when it lasted no time.
 */
function _steadyWindow(
  samples: readonly LevelSample[],
): { seconds: number; rows: number; cpu: number } | undefined {
  const steady = samples.filter((s) => s.phase === "steady").sort((a, b) => a.t - b.t);
  const first = steady[0], last = steady[steady.length - 1];
  const dt = first && last ? (last.t - first.t) / 1000 : 0;
  if (dt <= 0) return undefined;
  return { seconds: dt, rows: last!.rows - first!.rows, cpu: last!.cpu - first!.cpu };
}

/**
 * The history writer's Kafka lag when sending stopped, then the wait, `drainS` at most, for it
 * to reach 0: the lag after, and the seconds that took (null when it did not).
 */
async function _drainHistory(
  ctx: LevelContext,
): Promise<{ lagAtEnd: number | null; lagAfter: number | null; seconds: number | null }> {
  const lag = () => consumerLag(ctx.group, ctx.topic).then((l) => l.total).catch(() => null);
  const kafkaLagAtEnd = await lag();
  let lagNow = kafkaLagAtEnd;
  const d0 = performance.now();
  while (lagNow !== null && lagNow > 0 && performance.now() - d0 < ctx.drainS * 1000) {
    await new Promise((r) => setTimeout(r, 1000));
    lagNow = await lag();
  }
  const drainSeconds = lagNow === 0 ? (performance.now() - d0) / 1000 : null;
  return { lagAtEnd: kafkaLagAtEnd, lagAfter: lagNow, seconds: drainSeconds };
}
