import assert from "node:assert/strict";
import { WatchIndex } from "./watch_index.ts";

Deno.test("WatchIndex routes a driver to the orders watching it and counts partitions by use", () => {
  const seen: number[][] = [];
  const index = new WatchIndex((p) => seen.push([...p].sort()));
  index.set("o1", "d1", [0, 1]);
  index.set("o2", "d1", [1]);
  index.set("o3", null, [2]);
  assert.deepEqual([...index.ordersOf("d1")!].sort(), ["o1", "o2"]);
  assert.deepEqual([...index.partitions()].sort(), [0, 1, 2]);
  index.remove("o1");
  assert.deepEqual([...index.ordersOf("d1")!], ["o2"]);
  assert.deepEqual([...index.partitions()].sort(), [1, 2], "partition 1 is still used by o2");
  index.remove("o2");
  assert.equal(index.ordersOf("d1"), undefined);
  assert.deepEqual(seen.at(-1), [2]);
});

Deno.test("WatchIndex re-points an order to a new driver and adds a partition once", () => {
  const seen: number[][] = [];
  const index = new WatchIndex((p) => seen.push([...p].sort()));
  index.set("o1", null, [0]);
  index.set("o1", "d2", [0]);
  assert.deepEqual([...index.ordersOf("d2")!], ["o1"]);
  const calls = seen.length;
  index.addPartition("o1", 0);
  assert.equal(seen.length, calls, "a partition already in use changes nothing");
  index.addPartition("o1", 3);
  assert.deepEqual(seen.at(-1), [0, 3]);
  index.addPartition("unknown", 5);
  assert.deepEqual([...index.partitions()].sort(), [0, 3]);
});

Deno.test("WatchIndex tells when a driver gets its first watching order and loses its last", () => {
  const changes: [string, boolean][] = [];
  const index = new WatchIndex(() => {}, (driverId, watched) => changes.push([driverId, watched]));
  index.set("o1", "d1", [0]);
  index.set("o2", "d1", [0]);
  index.set("o3", null, [0]);
  assert.deepEqual(changes, [["d1", true]]);
  index.remove("o1");
  assert.deepEqual(changes, [["d1", true]], "o2 still watches d1");
  index.set("o2", "d2", [0]);
  assert.deepEqual(changes, [["d1", true], ["d1", false], ["d2", true]]);
});
