import assert from "node:assert/strict";
import { LatencyHistogram } from "./latency_histogram.ts";
import { percentile } from "./percentile.ts";
import { createRng } from "./rng.ts";

Deno.test("LatencyHistogram percentiles are within 1% of the exact nearest rank", () => {
  const r = createRng(3);
  const h = new LatencyHistogram();
  const values: number[] = [];
  for (let i = 0; i < 50_000; i++) {
    // log-normal-ish: most around 100 ms, a long tail to seconds
    const v = Math.exp(4.6 + 0.8 * Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(6.283 * r()));
    values.push(v);
    h.record(v);
  }
  values.sort((a, b) => a - b);
  for (const p of [50, 90, 95, 99, 99.9, 100]) {
    const exact = percentile(values, p);
    const got = h.percentile(p);
    assert.ok(got >= exact * 0.999 && got <= exact * 1.011, `p${p}: ${got} vs ${exact}`);
  }
  assert.equal(h.count, 50_000);
  assert.ok(Math.abs(h.mean - values.reduce((a, b) => a + b) / values.length) < 1e-6);
});

Deno.test("LatencyHistogram merges across processes through JSON", () => {
  const a = new LatencyHistogram();
  const b = new LatencyHistogram();
  for (let i = 1; i <= 100; i++) (i % 2 ? a : b).record(i);
  const merged = LatencyHistogram.fromJSON(JSON.parse(JSON.stringify(a)));
  merged.merge(JSON.parse(JSON.stringify(b.toJSON())));
  assert.equal(merged.count, 100);
  assert.ok(Math.abs(merged.percentile(50) - 50) <= 0.5);
  assert.equal(merged.percentile(100), 100);
  assert.equal(merged.percentile(0), 1);
});

Deno.test("LatencyHistogram is NaN when empty and clamps negatives to zero", () => {
  const h = new LatencyHistogram();
  assert.ok(Number.isNaN(h.percentile(99)));
  h.record(-5);
  assert.equal(h.percentile(50), 0);
});
