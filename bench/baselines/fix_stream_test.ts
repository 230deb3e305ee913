import assert from "node:assert/strict";
import { generateFixes } from "./fix_stream.ts";

Deno.test("generateFixes yields the requested count round-robin with rising per-driver ts", () => {
  const fixes = [...generateFixes(250, { drivers: 100, startTs: 1_000_000, seed: 5 })];
  assert.equal(fixes.length, 250);
  assert.equal(fixes[0]?.driverId, "sim-0");
  assert.equal(fixes[100]?.driverId, "sim-0");
  assert.equal(fixes[100]?.seq, 1);
  const last = new Map<string, number>();
  for (const f of fixes) {
    assert.ok(f.fix.ts > (last.get(f.driverId) ?? -1));
    last.set(f.driverId, f.fix.ts);
  }
});

Deno.test("generateFixes is deterministic for a seed", () => {
  const a = [...generateFixes(50, { drivers: 10, startTs: 0 })];
  const b = [...generateFixes(50, { drivers: 10, startTs: 0 })];
  assert.deepEqual(a, b);
});
