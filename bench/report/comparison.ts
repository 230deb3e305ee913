import type { LevelResult } from "../bench_level.ts";
import type { ServiceStageCpu } from "../profile/level_profiler.ts";
import type { PipelineLevelResult } from "../pipeline_level.ts";
import type { Stage } from "../profile/stage_cpu.ts";

/** A service level with its per-stage CPU, when profiled. */
export type ServiceLevel = LevelResult & { stageCpu?: ServiceStageCpu | null };

/** One row of the comparison: a pipeline at one offered load. */
export interface ComparisonRow {
  pipeline: "floor" | "naive" | "service";
  offered: number;
  accepted: number;
  /** rows/s stored during the steady window, and exact rows after the drain */
  stored: number | null;
  storedRows: number | null;
  lagAfterDrain: number | null;
  ackP99: number;
  /** p99 viewer latency, ms, or why there is none */
  viewerP99: number | string;
  /** % of one core over the steady window, all the pipeline's processes */
  cpuPercent: number | null;
  /** µs of CPU per fix by stage, and `total`: all the pipeline's CPU ÷ acked fixes */
  perFixUs: Partial<Record<Stage | "total", number>>;
}

/** The floor, naive and service rows of one offered load, and the service-to-floor ratios. */
export interface ComparisonLevel {
  level: string;
  rows: ComparisonRow[];
  /** service µs per fix ÷ floor µs per fix, per stage (target ≤ 1.5) */
  serviceToFloor: Partial<Record<Stage | "total", number>>;
}

/** Highest accepted fixes/s at ack p99 < 100 ms with ≥ 95% of the offer accepted. */
export interface Sustained {
  floor: number | null;
  naive: number | null;
  service: number | null;
  /** service ÷ naive (target ≥ 5) */
  serviceToNaive: number | null;
}

/** Builds the comparison of every level the three pipelines ran. */
export function compare(
  service: ServiceLevel[],
  floor: PipelineLevelResult[],
  naive: PipelineLevelResult[],
  viewers: number,
): { levels: ComparisonLevel[]; sustainedAtAckP99Under100ms: Sustained } {
  const names = [...new Set([...floor, ...naive, ...service].map((l) => l.name))];
  const levels = names.map((name) => {
    const f = floor.find((l) => l.name === name);
    const n = naive.find((l) => l.name === name);
    const s = service.find((l) => l.name === name);
    const rows = [
      ...(f ? [_row("floor", f, viewers)] : []),
      ...(n ? [_row("naive", n, viewers)] : []),
      ...(s ? [_row("service", s, viewers)] : []),
    ];
    const fr = rows.find((r) => r.pipeline === "floor")?.perFixUs;
    const sr = rows.find((r) => r.pipeline === "service")?.perFixUs;
    const serviceToFloor: Partial<Record<Stage | "total", number>> = {};
    for (const st of ["ingest", "history", "live", "total"] as const) {
      if (fr?.[st] && sr?.[st]) serviceToFloor[st] = Math.round((sr[st]! / fr[st]!) * 100) / 100;
    }
    return { level: name, rows, serviceToFloor };
  });
  const best = (ls: LevelResult[]) => {
    const ok = ls.filter((l) =>
      l.sim.ackLatencyMs.p99 < 100 && l.acceptedFixesPerSec >= 0.95 * l.offeredFixesPerSec
    );
    return ok.length ? Math.max(...ok.map((l) => l.acceptedFixesPerSec)) : null;
  };
  const sus = { floor: best(floor), naive: best(naive), service: best(service) };
  return {
    levels,
    sustainedAtAckP99Under100ms: {
      ...sus,
      serviceToNaive: sus.service !== null && sus.naive
        ? Math.round((sus.service / sus.naive) * 100) / 100
        : null,
    },
  };
}

function _row(
  pipeline: ComparisonRow["pipeline"],
  l: ServiceLevel | PipelineLevelResult,
  viewers: number,
): ComparisonRow {
  const note = "viewerNote" in l ? l.viewerNote : undefined;
  const perFixUs = "stages" in l
    ? Object.fromEntries(
      l.stages.flatMap((s) => s.perFixUs === null ? [] : [[s.stage, s.perFixUs]]),
    )
    : (l as ServiceLevel).stageCpu?.perFixUs ?? {};
  // The total needs no attribution: every process's CPU over the level ÷ the fixes acked.
  const cpu = "stages" in l ? l.cpuSeconds : (l as ServiceLevel).stageCpu?.cpuSeconds;
  const total = cpu && l.sim.acked ? { total: Math.round((cpu / l.sim.acked) * 1e7) / 10 } : {};
  return {
    pipeline,
    offered: l.offeredFixesPerSec,
    accepted: l.acceptedFixesPerSec,
    stored: l.storedFixesPerSec,
    storedRows: l.storedRows,
    lagAfterDrain: l.kafkaLagAfterDrain,
    ackP99: l.sim.ackLatencyMs.p99,
    viewerP99: viewers === 0
      ? "n/a: no viewers"
      : note ?? l.sim.viewers?.latencyMs.p99 ?? "n/a: no location frame",
    cpuPercent: l.service?.cpuPercent ?? null,
    perFixUs: { ...perFixUs, ...total },
  };
}

/** The comparison as a plain-text table (for the bench's stderr). */
export function formatComparison(c: ReturnType<typeof compare>): string {
  const head = "level    pipeline  offered accepted  stored  lag  ackP99 viewerP99 cpu%  " +
    "µs/fix ingest/history/live (total)";
  const lines = [head];
  const us = (v: number | undefined) => v === undefined ? "-" : String(v);
  for (const l of c.levels) {
    for (const r of l.rows) {
      const v = typeof r.viewerP99 === "number" ? String(r.viewerP99) : "n/a";
      lines.push(
        [
          l.level.padEnd(8),
          r.pipeline.padEnd(8),
          String(r.offered).padStart(8),
          String(r.accepted).padStart(8),
          String(r.stored ?? "-").padStart(7),
          String(r.lagAfterDrain ?? "-").padStart(4),
          String(r.ackP99).padStart(7),
          v.padStart(9),
          String(r.cpuPercent ?? "-").padStart(4),
          ` ${us(r.perFixUs.ingest)}/${us(r.perFixUs.history)}/${us(r.perFixUs.live)} ` +
          `(${us(r.perFixUs.total)})`,
        ].join(" "),
      );
    }
    lines.push(`         service/floor µs per fix: ${JSON.stringify(l.serviceToFloor)}`);
  }
  lines.push(`sustained at ack p99 < 100 ms: ${JSON.stringify(c.sustainedAtAckP99Under100ms)}`);
  return lines.join("\n");
}
