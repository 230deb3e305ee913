import assert from "node:assert/strict";
import type { LevelResult } from "../bench_level.ts";
import { compare, formatComparison, type ServiceLevel } from "./comparison.ts";
import type { PipelineLevelResult } from "../pipeline_level.ts";

function level(name: string, offered: number, accepted: number, p99: number): LevelResult {
  return {
    name,
    drivers: offered,
    intervalMs: 1000,
    offeredFixesPerSec: offered,
    acceptedFixesPerSec: accepted,
    storedFixesPerSec: accepted,
    storedRows: accepted * 10,
    kafkaLagAtEnd: 0,
    kafkaLagAfterDrain: 0,
    drainSeconds: 0,
    service: { cpuPercent: 50, peakRssMiB: 100, startRssMiB: 80 },
    serviceUsPerFix: null,
    serverPeakDriverSockets: null,
    sim: {
      acked: 100_000,
      ackLatencyMs: { p99 },
      viewers: { latencyMs: { p99: 70 } },
    } as LevelResult["sim"],
  };
}

function pipeline(
  kind: "floor" | "naive",
  l: LevelResult,
  ingestUs: number,
): PipelineLevelResult {
  return {
    ...l,
    pipeline: kind,
    cpuSeconds: 1,
    stages: [{
      stage: "ingest",
      cpuSeconds: 1,
      peakRssMiB: 50,
      startRssMiB: 40,
      fixes: 1,
      perFixUs: ingestUs,
    }],
    ...(kind === "naive" ? { viewerNote: "n/a: no viewer path" } : {}),
  };
}

Deno.test("compare lines up floor, naive and service per level with µs ratios and sustained rates", () => {
  const service: ServiceLevel[] = [
    {
      ...level("5k", 5000, 5000, 30),
      stageCpu: { cpuSeconds: 3, perFixUs: { ingest: 30 } } as never,
    },
    { ...level("20k", 20000, 19990, 80), stageCpu: null },
  ];
  const floor = [pipeline("floor", level("5k", 5000, 5000, 10), 20)];
  const naive = [
    pipeline("naive", level("5k", 5000, 1000, 900), 200),
    pipeline("naive", level("20k", 20000, 1000, 2000), 200),
  ];
  const c = compare(service, floor, naive, 10);
  assert.deepEqual(c.levels.map((l) => l.level), ["5k", "20k"]);
  assert.deepEqual(c.levels[0]!.rows.map((r) => r.pipeline), ["floor", "naive", "service"]);
  // totals: service 3 s ÷ 100,000 acked = 30 µs; floor 1 s ÷ 100,000 = 10 µs
  assert.deepEqual(c.levels[0]!.serviceToFloor, { ingest: 1.5, total: 3 });
  assert.equal(c.levels[0]!.rows[2]!.perFixUs.total, 30);
  assert.equal(c.levels[0]!.rows[1]!.viewerP99, "n/a: no viewer path");
  assert.equal(c.levels[0]!.rows[2]!.viewerP99, 70);
  // naive never holds p99 < 100 ms with 95% accepted; the service does up to 19,990/s
  assert.deepEqual(c.sustainedAtAckP99Under100ms, {
    floor: 5000,
    naive: null,
    service: 19990,
    serviceToNaive: null,
  });
  assert.match(formatComparison(c), /5k\s+service\s+5000/);
});
