import type { LevelResult } from "../bench_level.ts";
import type { BaselineSeries } from "./chart_data.ts";
import { renderChart } from "./svg_chart.ts";

/**
 * Writes a bench run's results to `<dir><stamp>.json` and `<stamp>.svg` (the service's levels,
 * the ceiling and naive lines, the floor and naive pipeline series), formatted as `deno fmt`
 * wants them, since results are committed.
 */
export async function writeResults(
  dir: string,
  stamp: string,
  out: Record<string, unknown>,
): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(`${dir}${stamp}.json`, JSON.stringify(out, null, 2) + "\n");
  const levels = (out.levels as LevelResult[] | undefined) ?? [];
  await Deno.writeTextFile(
    `${dir}${stamp}.svg`,
    renderChart({
      title: `driver tracking bench ${stamp}: throughput and p99 vs offered load`,
      points: levels.map((l) => ({
        offered: l.offeredFixesPerSec,
        accepted: l.acceptedFixesPerSec,
        stored: l.storedFixesPerSec ?? 0,
        p99: l.sim.ackLatencyMs.p99,
        viewerP99: l.sim.viewers?.latencyMs.p99 ?? null,
      })),
      ...(out.ceiling ? { ceiling: (out.ceiling as { recordsPerSec: number }).recordsPerSec } : {}),
      ...(out.naive
        ? { naive: Math.round((out.naive as { fixesPerSec: number }).fixesPerSec) }
        : {}),
      baselines: [
        _series("floor", "#455a64", out.floor),
        _series("naive pipeline", "#c2185b", out.naivePipeline),
      ].filter((b) => b.points.length > 0),
    }),
  );
  // Results are committed: keep them as `deno fmt --check` wants them.
  await new Deno.Command(Deno.execPath(), {
    args: ["fmt", "-q", `${dir}${stamp}.json`, `${dir}${stamp}.svg`],
    stdout: "null",
    stderr: "inherit",
  }).output();
}

function _series(label: string, color: string, levels: unknown): BaselineSeries {
  return {
    label,
    color,
    points: ((levels ?? []) as LevelResult[]).map((l) => ({
      offered: l.offeredFixesPerSec,
      accepted: l.acceptedFixesPerSec,
      p99: l.sim.ackLatencyMs.p99,
    })),
  };
}
