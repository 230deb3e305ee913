import type { BenchArgs } from "./bench_args.ts";
import { BenchCluster } from "./bench_cluster.ts";
import type { BenchPlan } from "./bench_plan.ts";
import { type LevelContext, type LevelResult, type LevelSpec, runLevel } from "./bench_level.ts";
import { benchSummary } from "./report/bench_summary.ts";
import type { ServiceLevel } from "./report/comparison.ts";
import { HistoryRows } from "./history_rows.ts";
import { LevelProfiler } from "./profile/level_profiler.ts";

/** What {@linkcode runServiceLevels} takes from the bench run around it. */
export interface ServiceRun {
  /** the run's time stamp, in the service's log file names */
  stamp: string;
  /** driver id prefix of the run */
  prefix: string;
  /** writes the results as they are */
  save: () => Promise<void>;
}

/** What one service level needs besides its spec. */
interface _LevelRig {
  a: BenchArgs;
  plan: BenchPlan;
  cluster: BenchCluster;
  /** the level context but the URL */
  base: Omit<LevelContext, "url">;
  /** the inspector port of instance 0 when its CPU is profiled per level */
  inspectPort: number | undefined;
  /** the run's time stamp, for the files it writes */
  stamp: string;
}

/**
 * The service at every planned level, then the seed scenario unless skipped: the instances are
 * started here (none with `--url`) and resized per level. Each level's result goes into `out`
 * (`levels`, or `seed`) with the summary, and the results are saved after each.
 */
export async function runServiceLevels(
  a: BenchArgs,
  plan: BenchPlan,
  out: Record<string, unknown>,
  run: ServiceRun,
): Promise<void> {
  const inspectPort = a.skipStageProfile || a.url ? undefined : a.port + 1000;
  const cluster = new BenchCluster({
    port: a.port,
    databaseUrl: a.databaseUrl,
    secret: a.secret,
    logPrefix: `${a.out}service-${run.stamp}`,
    ...(inspectPort ? { inspectPort } : {}),
    workers: a.workers,
    ...(a.serviceCpus && { cpus: a.serviceCpus }),
  });
  const history = new HistoryRows(a.databaseUrl);
  const levels: LevelResult[] = [];
  out.levels = levels;
  try {
    const base = {
      secret: a.secret,
      history,
      topic: "driver-locations",
      group: "history-writer",
      drainS: a.drainS,
      procs: a.procs,
      viewers: a.viewers ?? 0,
      orderShare: a.orderShare,
      fleetViewers: a.fleetViewers,
      osmandShare: a.osmandShare,
      sourceIps: a.sourceIps,
      prefix: run.prefix,
    };
    const rig = { a, plan, cluster, base, inspectPort, stamp: run.stamp };
    const { seed, seedBlocked } = plan;
    for (const spec of [...plan.specs, ...(a.skipSeed ? [] : [seed])]) {
      if (spec === seed && seedBlocked) {
        console.error(`== seed scenario skipped: ${seedBlocked}`);
        out.seed = { skipped: seedBlocked, ...seed };
        continue;
      }
      console.error(
        `== ${spec.name}: ${spec.drivers} drivers every ${spec.intervalMs} ms for ${spec.durationS} s`,
      );
      const r = await _serviceLevel(spec, rig);
      if (spec === seed) out.seed = r;
      else levels.push(r);
      console.error(JSON.stringify({ ...r, sim: undefined }));
      Object.assign(out, benchSummary(out, a));
      await run.save();
    }
  } finally {
    await history.close();
    await cluster.stop();
  }
}

/** One level: the instances resized for it, the level run and (but the seed) CPU-profiled. */
async function _serviceLevel(spec: LevelSpec, rig: _LevelRig): Promise<ServiceLevel> {
  const { a, plan, cluster, inspectPort } = rig;
  const instances = spec === plan.seed ? plan.seedInstances : a.instances;
  if (!a.url) await cluster.resize(instances);
  // Instance 0's profile splits the whole cluster's CPU by stage.
  const profiler = inspectPort && spec !== plan.seed
    ? new LevelProfiler(
      `127.0.0.1:${inspectPort}`,
      Math.min(10, Math.max(2, spec.durationS / 2)),
      cluster.pids,
      `${a.out}${rig.stamp}-${spec.name}.cpuprofile`,
    )
    : undefined;
  const r: ServiceLevel = {
    ...(await runLevel(spec, {
      ...rig.base,
      url: a.url ?? cluster.url,
      ...(a.url ? {} : { servicePids: cluster.pids }),
      ...(profiler ? { onSteady: () => profiler.start() } : {}),
    })),
    ...(a.url ? {} : { instances }),
  };
  if (profiler) {
    r.stageCpu = await profiler.finish({
      ingest: r.sim.acked,
      history: r.storedRows ?? 0,
      live: r.sim.acked,
    });
  }
  // The floor's table is dropped after its level; the service's kept every level's rows, and a
  // level ran slower on a bigger table (docs/performance.md, 2026-12-07): remove the level's own
  // rows, by their driver ids, when the bench ran the service itself.
  if (!a.url) {
    await rig.base.history?.deletePrefix(`${rig.base.prefix}-${spec.name}`).catch((error) =>
      console.error(`history rows of ${spec.name} not removed: ${error}`)
    );
  }
  return r;
}
