/**
 * The benchmark: Kafka's own producer ceiling, the naive kafkajs baseline on the same fixes,
 * the floor and the naive tutorial pipeline at each offered load, then the service (started
 * here, CPU-profiled per level) at the same loads and the seed scenario (100,000 drivers every
 * 5 s). Writes bench/results/<date>.json and .svg.
 *
 *   deno task bench [--levels 5000,20000,50000,100000] [--duration 30] [--viewers 200]
 *                   [--instances 2] [--skip-seed]
 *   deno task bench --smoke [--url http://127.0.0.1:8000] [--viewers 20]   (CI: a running service)
 *
 * @module
 */
import { BENCH_USAGE, type BenchArgs, parseBenchArgs, planLevels } from "./bench_args.ts";
import { BenchCluster } from "./bench_cluster.ts";
import { type LevelResult, type LevelSpec, runLevel } from "./bench_level.ts";
import { runNaiveKafkajs } from "./baselines/naive_kafkajs.ts";
import { runCeiling } from "./ceiling.ts";
import { ensureBroker } from "./ensure_broker.ts";
import { HistoryRows } from "./history_rows.ts";
import { openFilesLimit } from "./open_files_limit.ts";
import { writeResults } from "./bench_output.ts";
import { runSmoke } from "./smoke.ts";
import { runBaselines } from "./bench_baselines.ts";
import { compare, formatComparison, type ServiceLevel } from "./comparison.ts";
import { LevelProfiler } from "./level_profiler.ts";

/** Runs the whole benchmark from command-line arguments and returns the results written. */
export async function bench(args: string[]): Promise<Record<string, unknown> | undefined> {
  const a = parseBenchArgs(args, Deno.env.toObject());
  if (a.help) {
    console.log(BENCH_USAGE);
    return undefined;
  }
  if (a.smoke) {
    const { ok } = await runSmoke(a.url!, a.secret, {
      ...(a.viewers === undefined ? {} : { viewers: a.viewers }),
      ...(typeof a.procs === "number" ? { procs: a.procs } : {}),
      fleetViewers: a.fleetViewers,
    });
    if (!ok) Deno.exitCode = 1;
    return undefined;
  }
  await ensureBroker();
  const started = new Date();
  const stamp = started.toISOString().slice(0, 16).replace(":", "");
  const hard = openFilesLimit({ hard: true });
  const out: Record<string, unknown> = {
    date: started.toISOString(),
    machine: _machine(hard),
    args: a,
  };
  const save = () => writeResults(a.out, stamp, out);

  if (!a.skipCeiling) {
    console.error(
      `== ceiling: ProducerPerformance, ${a.ceilingRecords} records of 150 B, acks=all`,
    );
    out.ceiling = await runCeiling({ records: a.ceilingRecords });
    console.error(JSON.stringify(out.ceiling));
  }
  if (!a.skipNaive) {
    console.error(`== naive baseline: kafkajs, one awaited send per fix, ${a.naiveFixes} fixes`);
    out.naive = await runNaiveKafkajs({ fixes: a.naiveFixes });
    console.error(JSON.stringify(out.naive));
  }
  await save();

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
    rampUpS: a.seedRampS ?? Math.max(3, Math.ceil(a.seedDrivers / 2000)),
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

  const prefix = `bench-${stamp.replace(/\D/g, "")}`;
  Object.assign(
    out,
    await runBaselines(specs, a, prefix, (r) => {
      Object.assign(out, r);
      return save();
    }),
  );
  const inspectPort = a.skipStageProfile || a.url ? undefined : a.port + 1000;
  const cluster = new BenchCluster({
    port: a.port,
    databaseUrl: a.databaseUrl,
    secret: a.secret,
    logPrefix: `${a.out}service-${stamp}`,
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
      sourceIps: a.sourceIps,
      prefix,
    };
    for (const spec of [...specs, ...(a.skipSeed ? [] : [seed])]) {
      if (spec === seed && seedBlocked) {
        console.error(`== seed scenario skipped: ${seedBlocked}`);
        out.seed = { skipped: seedBlocked, ...seed };
        continue;
      }
      console.error(
        `== ${spec.name}: ${spec.drivers} drivers every ${spec.intervalMs} ms for ${spec.durationS} s`,
      );
      const instances = spec === seed ? seedInstances : a.instances;
      if (!a.url) await cluster.resize(instances);
      // Instance 0's profile splits the whole cluster's CPU by stage.
      const profiler = inspectPort && spec !== seed
        ? new LevelProfiler(
          `127.0.0.1:${inspectPort}`,
          Math.min(10, Math.max(2, spec.durationS / 2)),
          cluster.pids,
        )
        : undefined;
      const r: ServiceLevel = {
        ...(await runLevel(spec, {
          ...base,
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
      if (spec === seed) out.seed = r;
      else levels.push(r);
      console.error(JSON.stringify({ ...r, sim: undefined }));
      out.ratios = _ratios(out);
      out.comparison = _comparison(out, a);
      await save();
    }
  } finally {
    await history.close();
    await cluster.stop();
  }
  out.ratios = _ratios(out);
  out.comparison = _comparison(out, a);
  await save();
  console.error(formatComparison(out.comparison as ReturnType<typeof compare>));
  console.log(JSON.stringify(out, null, 2));
  return out;
}

function _comparison(out: Record<string, unknown>, a: BenchArgs): ReturnType<typeof compare> {
  type P = Parameters<typeof compare>;
  return compare(
    (out.levels ?? []) as P[0],
    (out.floor ?? []) as P[1],
    (out.naivePipeline ?? []) as P[2],
    a.viewers ?? 0,
  );
}

function _ratios(out: Record<string, unknown>): Record<string, unknown> {
  const ceiling = (out.ceiling as { recordsPerSec?: number } | undefined)?.recordsPerSec;
  const naive = (out.naive as { fixesPerSec?: number } | undefined)?.fixesPerSec;
  const all = [
    ...(out.levels as LevelResult[]),
    ...(out.seed && "sim" in (out.seed as object) ? [out.seed as LevelResult] : []),
  ];
  const best = Math.max(0, ...all.map((l) => l.acceptedFixesPerSec));
  const r = (x: number, y: number | undefined) => y ? Math.round((x / y) * 1000) / 1000 : null;
  return {
    bestAcceptedFixesPerSec: best,
    serviceToCeiling: r(best, ceiling),
    serviceToNaive: r(best, naive),
    perLevel: all.map((l) => ({
      name: l.name,
      accepted: l.acceptedFixesPerSec,
      serviceToCeiling: r(l.acceptedFixesPerSec, ceiling),
      serviceToNaive: r(l.acceptedFixesPerSec, naive),
    })),
  };
}

function _machine(hardNofile: number | undefined): Record<string, unknown> {
  const mem = (() => {
    try {
      return Math.round(
        Number(/MemTotal:\s+(\d+)/.exec(Deno.readTextFileSync("/proc/meminfo"))?.[1]) / 1024 / 1024,
      );
    } catch {
      return null;
    }
  })();
  return {
    cpus: navigator.hardwareConcurrency,
    memGiB: mem,
    os: Deno.osRelease(),
    deno: Deno.version.deno,
    openFilesSoft: openFilesLimit(),
    openFilesHard: hardNofile,
  };
}

if (import.meta.main) await bench(Deno.args);
