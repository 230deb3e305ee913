import assert from "node:assert/strict";
import { batchedLatest } from "./batched_latest.ts";
import type { LocationRecord } from "../../domain/location_record.ts";

function _record(driverId: string, ts: number): LocationRecord {
  return { driverId, seq: ts, ts, lat: 1, lon: 1, region: "r", receivedAt: ts };
}

/** A store that knows `a` and `c`, and records each read. */
function _store(fail = false) {
  const reads: string[][] = [];
  const known = new Map([["a", _record("a", 5)], ["c", _record("c", 7)]]);
  return {
    reads,
    latestOf(driverIds: readonly string[]): Promise<Map<string, LocationRecord>> {
      reads.push([...driverIds]);
      if (fail) return Promise.reject(new Error("database away"));
      return Promise.resolve(new Map([...known].filter(([id]) => driverIds.includes(id))));
    },
  };
}

Deno.test("batchedLatest reads the drivers asked for together in one read, and answers each its own", async () => {
  const store = _store();
  const latest = batchedLatest(store, { windowMs: 1 });
  const answers = await Promise.all(["a", "b", "c"].map(latest));
  assert.deepEqual(store.reads, [["a", "b", "c"]]);
  assert.deepEqual(answers.map((r) => r?.ts), [5, undefined, 7]);
});

Deno.test("batchedLatest caches nothing: a later call reads again", async () => {
  const store = _store();
  const latest = batchedLatest(store, { windowMs: 1 });
  await latest("a");
  await latest("a");
  assert.deepEqual(store.reads, [["a"], ["a"]]);
});

Deno.test("batchedLatest splits a burst into reads of at most maxBatch drivers", async () => {
  const store = _store();
  const latest = batchedLatest(store, { windowMs: 1, maxBatch: 2 });
  await Promise.all(["a", "b", "c", "d", "e"].map(latest));
  assert.deepEqual(store.reads, [["a", "b"], ["c", "d"], ["e"]]);
});

Deno.test("batchedLatest fails every call of a batch whose read failed", async () => {
  const store = _store(true);
  const latest = batchedLatest(store, { windowMs: 1 });
  const results = await Promise.allSettled(["a", "b"].map(latest));
  assert.deepEqual(results.map((r) => r.status), ["rejected", "rejected"]);
  assert.equal(store.reads.length, 1);
});
