import type { BenchArgs } from "./bench_args.ts";
import type { LevelSpec } from "./bench_level.ts";
import { type PipelineLevelResult, runPipelineLevel } from "./pipeline_level.ts";

/** The baseline levels of one bench run (what `--skip-*` left). */
export interface BaselineResults {
  floor: PipelineLevelResult[];
  naivePipeline: PipelineLevelResult[];
}

/**
 * Runs the floor and the naive pipeline at every level (before the service starts, so they
 * share the machine with nothing of it), calling `saved` after each level.
 */
export async function runBaselines(
  specs: LevelSpec[],
  a: BenchArgs,
  prefix: string,
  saved: (r: BaselineResults) => Promise<void>,
): Promise<BaselineResults> {
  const r: BaselineResults = { floor: [], naivePipeline: [] };
  const ctx = {
    secret: a.secret,
    databaseUrl: a.databaseUrl,
    drainS: a.drainS,
    procs: a.procs,
    viewers: a.viewers ?? 0,
    orderShare: 0,
    fleetViewers: 0,
    sourceIps: a.sourceIps,
    prefix,
  };
  for (const spec of specs) {
    for (const kind of ["floor", "naive"] as const) {
      if (kind === "floor" ? a.skipFloor : a.skipNaivePipeline) continue;
      console.error(
        `== ${kind} pipeline ${spec.name}: ${spec.drivers} drivers every ${spec.intervalMs} ms ` +
          `for ${spec.durationS} s`,
      );
      const level = await runPipelineLevel(kind, spec, ctx);
      (kind === "floor" ? r.floor : r.naivePipeline).push(level);
      console.error(JSON.stringify({ ...level, sim: undefined }));
      await saved(r);
    }
  }
  return r;
}
