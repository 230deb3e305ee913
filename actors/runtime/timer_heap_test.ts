import assert from "node:assert/strict";
import { type HeapTimer, TimerHeap } from "./timer_heap.ts";

function _timer(at: number, seq: number): HeapTimer & { name: string } {
  return { at, seq, index: -1, name: `${at}/${seq}` };
}

function _drain(heap: TimerHeap<HeapTimer & { name: string }>): string[] {
  const out: string[] = [];
  for (let t = heap.pop(); t !== undefined; t = heap.pop()) out.push(t.name);
  return out;
}

Deno.test("TimerHeap gives timers back by due time, then by scheduling order", () => {
  const heap = new TimerHeap<HeapTimer & { name: string }>();
  const times = [50, 10, 30, 10, 70, 20, 30, 0, 90, 10];
  times.forEach((at, seq) => heap.push(_timer(at, seq)));
  assert.equal(heap.size, times.length);
  assert.equal(heap.peek()!.name, "0/7");
  const expected = times.map((at, seq) => ({ at, seq }))
    .sort((a, b) => a.at - b.at || a.seq - b.seq).map((t) => `${t.at}/${t.seq}`);
  assert.deepEqual(_drain(heap), expected);
  assert.equal(heap.pop(), undefined);
});

Deno.test("TimerHeap removes a timer from anywhere and ignores one it does not hold", () => {
  const heap = new TimerHeap<HeapTimer & { name: string }>();
  const timers = Array.from({ length: 200 }, (_, i) => _timer((i * 7919) % 211, i));
  for (const t of timers) heap.push(t);
  const removed = timers.filter((_, i) => i % 3 === 0);
  for (const t of removed) heap.remove(t);
  for (const t of removed) heap.remove(t); // twice: ignored
  assert.ok(removed.every((t) => t.index === -1));
  const kept = timers.filter((_, i) => i % 3 !== 0)
    .sort((a, b) => a.at - b.at || a.seq - b.seq).map((t) => t.name);
  assert.deepEqual(_drain(heap), kept);
  heap.remove(_timer(1, 1)); // never pushed
  assert.equal(heap.size, 0);
});
