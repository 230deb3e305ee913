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
import { BENCH_USAGE, type BenchArgs, parseBenchArgs } from "./bench_args.ts";
import { runBaselines } from "./bench_baselines.ts";
import { writeResults } from "./report/bench_output.ts";
import { planBench } from "./bench_plan.ts";
import { benchSummary } from "./report/bench_summary.ts";
import { runNaiveKafkajs } from "./baselines/naive_kafkajs.ts";
import { runCeiling } from "./baselines/ceiling.ts";
import { formatComparison } from "./report/comparison.ts";
import { ensureBroker } from "./ensure_broker.ts";
import { openFilesLimit } from "../infra/open_files_limit.ts";
import { runServiceLevels } from "./service_levels.ts";
import { runSmoke } from "./smoke.ts";

/** Runs the whole benchmark from command-line arguments and returns the results written. */
export async function bench(args: string[]): Promise<Record<string, unknown> | undefined> {
  const a = parseBenchArgs(args, Deno.env.toObject());
  if (a.help) {
    console.log(BENCH_USAGE);
    return undefined;
  }
  if (a.smoke) {
    await _smoke(a);
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

  await _kafkaBaselines(a, out);
  await save();

  const plan = planBench(a, hard);
  const prefix = `bench-${stamp.replace(/\D/g, "")}`;
  Object.assign(
    out,
    await runBaselines(plan.specs, a, prefix, (r) => {
      Object.assign(out, r);
      return save();
    }),
  );
  await runServiceLevels(a, plan, out, { stamp, prefix, save });
  const summary = benchSummary(out, a);
  Object.assign(out, summary);
  await save();
  console.error(formatComparison(summary.comparison));
  console.log(JSON.stringify(out, null, 2));
  return out;
}

/** `--smoke`: a short run against a running service; exit code 1 when it fails. */
async function _smoke(a: BenchArgs): Promise<void> {
  const { ok } = await runSmoke(a.url!, a.secret, {
    ...(a.viewers === undefined ? {} : { viewers: a.viewers }),
    ...(typeof a.procs === "number" ? { procs: a.procs } : {}),
    fleetViewers: a.fleetViewers,
    osmandShare: a.osmandShare,
  });
  if (!ok) Deno.exitCode = 1;
}

/** Kafka's own producer ceiling and the naive kafkajs baseline, unless skipped, into `out`. */
async function _kafkaBaselines(a: BenchArgs, out: Record<string, unknown>): Promise<void> {
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
