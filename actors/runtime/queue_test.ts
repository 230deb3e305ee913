import assert from "node:assert/strict";
import { KEPT_CAPACITY, Queue } from "./queue.ts";

Deno.test("Queue: first in, first out, across emptyings", () => {
  const q = new Queue<number>();
  assert.equal(q.shift(), undefined);
  for (let round = 0; round < 3; round++) {
    q.push(1);
    q.push(2);
    assert.equal(q.size, 2);
    assert.equal(q.shift(), 1);
    q.push(3);
    assert.deepEqual([q.shift(), q.shift(), q.shift()], [2, 3, undefined]);
    assert.equal(q.size, 0);
  }
});

Deno.test("Queue: drain returns what is queued, oldest first, and empties it", () => {
  const q = new Queue<string>();
  q.push("a");
  q.push("b");
  q.push("c");
  q.shift();
  assert.deepEqual(q.drain(), ["b", "c"]);
  assert.equal(q.size, 0);
  assert.equal(q.shift(), undefined);
  q.push("d");
  assert.deepEqual(q.drain(), ["d"]);
  assert.deepEqual(q.drain(), []);
});

Deno.test("Queue: a long queue compacts its consumed head and keeps its order", () => {
  const q = new Queue<number>();
  const n = 5_000;
  for (let i = 0; i < n; i++) q.push(i);
  const out: number[] = [];
  for (let i = 0; i < n / 2; i++) out.push(q.shift()!);
  for (let i = n; i < n + 100; i++) q.push(i);
  assert.equal(q.size, n / 2 + 100);
  for (let v = q.shift(); v !== undefined; v = q.shift()) out.push(v);
  assert.deepEqual(out, Array.from({ length: n + 100 }, (_, i) => i));
});

Deno.test("Queue: after a burst larger than it keeps, it still works from empty", () => {
  const q = new Queue<number>();
  for (let i = 0; i < KEPT_CAPACITY * 3; i++) q.push(i);
  while (q.shift() !== undefined);
  q.push(7);
  q.push(8);
  assert.deepEqual(q.drain(), [7, 8]);
});
