import assert from "node:assert/strict";
import { percentile } from "./percentile.ts";

Deno.test("percentile uses the nearest rank", () => {
  const v = [15, 20, 35, 40, 50];
  assert.equal(percentile(v, 5), 15);
  assert.equal(percentile(v, 30), 20);
  assert.equal(percentile(v, 40), 20);
  assert.equal(percentile(v, 50), 35);
  assert.equal(percentile(v, 100), 50);
  assert.equal(percentile(v, 0), 15);
});

Deno.test("percentile of 1..100 is the percent itself", () => {
  const v = Array.from({ length: 100 }, (_, i) => i + 1);
  for (const p of [1, 50, 95, 99, 100]) assert.equal(percentile(v, p), p);
});

Deno.test("percentile is NaN for no values and rejects a bad percent", () => {
  assert.ok(Number.isNaN(percentile([], 50)));
  assert.throws(() => percentile([1], 101), RangeError);
  assert.throws(() => percentile([1], NaN), RangeError);
});
