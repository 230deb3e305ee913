/** The final summary of Kafka's `ProducerPerformance` tool. */
export interface ProducerPerformanceSummary {
  records: number;
  recordsPerSec: number;
  mbPerSec: number;
  avgLatencyMs: number;
  maxLatencyMs: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  p999Ms: number;
}

const _SUMMARY = new RegExp(
  String.raw`(\d+) records sent, ([\d.]+) records/sec \(([\d.]+) MB/sec\), ` +
    String.raw`([\d.]+) ms avg latency, ([\d.]+) ms max latency, ` +
    String.raw`(\d+) ms 50th, (\d+) ms 95th, (\d+) ms 99th, (\d+) ms 99\.9th`,
);

/**
 * Parses the output of `org.apache.kafka.tools.ProducerPerformance`, returning its final
 * summary line (the one with percentiles; the per-window progress lines are skipped), or
 * `undefined` when there is none (the tool failed).
 */
export function parseProducerPerformance(output: string): ProducerPerformanceSummary | undefined {
  let found: ProducerPerformanceSummary | undefined;
  for (const line of output.split("\n")) {
    const m = _SUMMARY.exec(line);
    if (!m) continue;
    const n = m.slice(1).map(Number);
    found = {
      records: n[0]!,
      recordsPerSec: n[1]!,
      mbPerSec: n[2]!,
      avgLatencyMs: n[3]!,
      maxLatencyMs: n[4]!,
      p50Ms: n[5]!,
      p95Ms: n[6]!,
      p99Ms: n[7]!,
      p999Ms: n[8]!,
    };
  }
  return found;
}
