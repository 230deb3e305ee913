import assert from "node:assert/strict";
import { VirtualClock } from "./virtual_clock.ts";

Deno.test("VirtualClock runs due timers in time order, including ones scheduled during advance", () => {
  const clock = new VirtualClock();
  const fired: string[] = [];
  clock.setTimeout(() => fired.push(`b@${clock.now()}`), 20);
  clock.setTimeout(() => {
    fired.push(`a@${clock.now()}`);
    clock.setTimeout(() => fired.push(`c@${clock.now()}`), 5);
    clock.setTimeout(() => fired.push(`late@${clock.now()}`), 50);
  }, 10);
  clock.setTimeout(() => fired.push(`b2@${clock.now()}`), 20);
  clock.advance(30);
  assert.deepEqual(fired, ["a@10", "c@15", "b@20", "b2@20"]);
  assert.equal(clock.now(), 30);
  assert.equal(clock.pending(), 1);
});

Deno.test("VirtualClock leaves later timers pending and forgets cleared ones", () => {
  const clock = new VirtualClock(1000);
  const fired: number[] = [];
  const cleared = clock.setTimeout(() => fired.push(1), 10);
  clock.setTimeout(() => fired.push(2), 100);
  clock.clearTimeout(cleared);
  clock.advance(99);
  assert.deepEqual(fired, []);
  assert.equal(clock.pending(), 1);
  clock.advance(1);
  assert.deepEqual(fired, [2]);
  assert.equal(clock.now(), 1100);
  assert.equal(clock.pending(), 0);
});
