import assert from "node:assert/strict";
import { parseProducerPerformance } from "./producer_performance.ts";

const OUTPUT = `SLF4J: some logging noise
148501 records sent, 29694.3 records/sec (4.25 MB/sec), 812.6 ms avg latency, 1490.0 ms max latency.
211905 records sent, 42381.0 records/sec (6.06 MB/sec), 740.1 ms avg latency, 1102.0 ms max latency.
500000 records sent, 37216.5 records/sec (5.32 MB/sec), 760.48 ms avg latency, 1490.00 ms max latency, 731 ms 50th, 1180 ms 95th, 1390 ms 99th, 1475 ms 99.9th.
`;

Deno.test("parseProducerPerformance reads the final summary, not the progress lines", () => {
  assert.deepEqual(parseProducerPerformance(OUTPUT), {
    records: 500000,
    recordsPerSec: 37216.5,
    mbPerSec: 5.32,
    avgLatencyMs: 760.48,
    maxLatencyMs: 1490,
    p50Ms: 731,
    p95Ms: 1180,
    p99Ms: 1390,
    p999Ms: 1475,
  });
});

Deno.test("parseProducerPerformance returns undefined when the tool printed no summary", () => {
  assert.equal(parseProducerPerformance("Exception in thread main ...\n"), undefined);
  assert.equal(parseProducerPerformance(OUTPUT.split("\n").slice(0, 3).join("\n")), undefined);
});
