/**
 * The benchmark guard (`deno task bench:guard`, about 3 minutes): the floor pipeline and the
 * service at two loads of the same drivers, each started fresh by `bench.ts`:
 *
 * - **at rest**: `--drivers` drivers (default 5,000), one fix every 10 s each;
 * - **under load**: the same drivers, one fix a second each.
 *
 * It prints the service's CPU per fix against the floor's (target ≤ 1.25, docs/performance.md) and
 * its memory per connected driver against the floor's ingest process, a bare `Deno.serve` +
 * `Deno.upgradeWebSocket` server (target ≤ 1.5): RSS growth from the level's start (no driver yet)
 * to its peak, divided by the drivers. Run it before and after a change on the hot path and keep
 * both outputs in the commit message.
 *
 *   bash tools/with_open_files.sh deno run -A bench/guard.ts [--drivers 5000] [--duration 20]
 *     [--rounds 1] [--database-url URL]
 *
 * On a shared machine one round's CPU ratio under load read ×1.5, then ×1.8 on the same code, one
 * run after the other (2026-12-07, docs/performance.md); `--rounds 3` repeats both loads three
 * times (about 6 minutes) and also prints each ratio's median and range, which is what a
 * before/after comparison should quote.
 *
 * Writes `bench/results/<date>-guard.json`.
 */
import { parseArgs } from "node:util";
import type { ComparisonLevel } from "./report/comparison.ts";
import { type RatioSpread, ratioSpread } from "./ratio_spread.ts";
import type { LevelResult } from "./bench_level.ts";
import type { PipelineLevelResult } from "./pipeline_level.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    drivers: { type: "string", default: "5000" },
    duration: { type: "string", default: "20" },
    rounds: { type: "string", default: "1" },
    "database-url": { type: "string" },
  },
});
const drivers = Number(values.drivers);
const rounds = Number(values.rounds);
if (!Number.isInteger(rounds) || rounds < 1) throw new RangeError("--rounds must be 1 or more");

/** One bench run of one level: the floor and the service, as `bench.ts` reports them. */
interface _Run {
  comparison: { levels: ComparisonLevel[] };
  floor?: PipelineLevelResult[];
  levels?: LevelResult[];
}

async function _bench(intervalMs: number): Promise<_Run> {
  const level = Math.round((drivers * 1000) / intervalMs);
  const args = [
    "run",
    "-A",
    new URL("./bench.ts", import.meta.url).pathname,
    `--levels=${level}`,
    `--interval=${intervalMs}`,
    `--duration=${values.duration}`,
    "--drain=20",
    "--skip-ceiling",
    "--skip-naive",
    "--skip-seed",
    "--skip-naive-pipeline",
    `--out=${await Deno.makeTempDir({ prefix: "guard-" })}`,
    ...(values["database-url"] ? [`--database-url=${values["database-url"]}`] : []),
  ];
  const out = await new Deno.Command(Deno.execPath(), { args, stdout: "piped", stderr: "inherit" })
    .output();
  if (!out.success) throw new Error(`bench.ts failed (${out.code})`);
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

/** The floor's and the service's level results of a run (`floor` and `levels` in its output). */
function _levels(run: _Run): { floor: PipelineLevelResult; service: LevelResult } {
  const floor = run.floor?.[0], service = run.levels?.[0];
  if (!floor || !service?.service) throw new Error("the bench output lacks the floor or service");
  return { floor, service };
}

function _kibPerDriver(startMiB: number, peakMiB: number): number {
  return Math.round(((peakMiB - startMiB) * 1024) / drivers * 10) / 10;
}

/**
 * CPU per fix over the steady window: all the pipeline's processes' CPU (% of a core) over the
 * fixes acked a second, in µs. The same rule for the floor and the service.
 */
function _usPerFix(row: ComparisonLevel["rows"][number] | undefined): number | null {
  if (!row?.cpuPercent || !row.accepted) return null;
  return Math.round((row.cpuPercent / 100 / row.accepted) * 1e7) / 10;
}

function _ratio(a: number | null, b: number | null): number | null {
  return a !== null && b ? Math.round((a / b) * 100) / 100 : null;
}

function _summary(name: string, run: _Run) {
  const { floor, service } = _levels(run);
  const ingest = floor.stages.find((s) => s.stage === "ingest")!;
  const level = run.comparison.levels[0]!; // one level a run
  const floorRow = level.rows.find((r) => r.pipeline === "floor");
  const serviceRow = level.rows.find((r) => r.pipeline === "service");
  const floorKiB = _kibPerDriver(ingest.startRssMiB, ingest.peakRssMiB);
  const serviceKiB = _kibPerDriver(service.service!.startRssMiB, service.service!.peakRssMiB);
  return {
    name,
    offered: serviceRow?.offered,
    accepted: { floor: floorRow?.accepted, service: serviceRow?.accepted },
    ackP99Ms: { floor: floorRow?.ackP99, service: serviceRow?.ackP99 },
    usPerFix: { floor: _usPerFix(floorRow), service: _usPerFix(serviceRow) },
    cpuRatio: _ratio(_usPerFix(serviceRow), _usPerFix(floorRow)),
    kibPerDriver: { bareSocket: floorKiB, service: serviceKiB },
    memoryRatio: _ratio(serviceKiB, floorKiB),
  };
}

type _Summary = ReturnType<typeof _summary>;

const rest: _Summary[] = [], load: _Summary[] = [];
for (let round = 1; round <= rounds; round++) {
  const suffix = rounds > 1 ? `, round ${round}` : "";
  rest.push(_summary(`at rest (a fix every 10 s)${suffix}`, await _bench(10_000)));
  load.push(_summary(`under load (a fix a second)${suffix}`, await _bench(1_000)));
}
const guard = rest.flatMap((r, i) => [r, load[i]!]);
const medians = rounds > 1
  ? ([["at rest", rest], ["under load", load]] as const).map(([name, runs]) => ({
    name,
    cpuRatio: ratioSpread(runs.map((g) => g.cpuRatio)),
    memoryRatio: ratioSpread(runs.map((g) => g.memoryRatio)),
  }))
  : undefined;
const result = {
  date: new Date().toISOString(),
  drivers,
  rounds,
  guard,
  ...(medians ? { medians } : {}),
};
const stamp = result.date.slice(0, 16).replace(":", "");
await Deno.writeTextFile(
  new URL(`./results/${stamp}-guard.json`, import.meta.url),
  JSON.stringify(result, null, 2) + "\n",
);
for (const g of result.guard) {
  console.log(
    `${g.name}: ${g.offered} fixes/s offered; CPU per fix floor ${g.usPerFix.floor} µs, service ` +
      `${g.usPerFix.service} µs (×${g.cpuRatio}); KiB per driver bare socket ` +
      `${g.kibPerDriver.bareSocket}, service ${g.kibPerDriver.service} (×${g.memoryRatio}); ` +
      `accepted ${g.accepted.service}/s, ack p99 ${g.ackP99Ms.service} ms`,
  );
}
for (const m of medians ?? []) {
  const f = (s: RatioSpread | null) => s ? `×${s.median} (×${s.min}–×${s.max})` : "n/a";
  console.log(`${m.name}, ${rounds} rounds: CPU ${f(m.cpuRatio)}; memory ${f(m.memoryRatio)}`);
}
console.log(JSON.stringify(result));
