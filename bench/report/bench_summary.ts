import type { BenchArgs } from "../bench_args.ts";
import type { LevelResult } from "../bench_level.ts";
import { compare } from "./comparison.ts";

/** What a bench run's results say in sum, from the levels measured so far. */
export interface BenchSummary {
  /** the service's accepted fixes/s against the Kafka ceiling and the naive baseline */
  ratios: Record<string, unknown>;
  /** the service against the floor and the naive pipeline, level by level */
  comparison: ReturnType<typeof compare>;
}

/**
 * The summary of the results in `out` (`ceiling`, `naive`, `levels`, `seed`, `floor`,
 * `naivePipeline`), to be merged into `out` after each level and at the end.
 */
export function benchSummary(out: Record<string, unknown>, a: BenchArgs): BenchSummary {
  return { ratios: _ratios(out), comparison: _comparison(out, a) };
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
