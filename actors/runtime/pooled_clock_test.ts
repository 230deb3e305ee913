import assert from "node:assert/strict";
import { PooledClock } from "./pooled_clock.ts";
import { VirtualClock } from "./virtual_clock.ts";

Deno.test("PooledClock runs many timers on one timer of the clock beneath, in due order", () => {
  const base = new VirtualClock(1000);
  const clock = new PooledClock(base);
  const fired: string[] = [];
  for (const [name, ms] of [["c", 30], ["a", 10], ["b", 20], ["a2", 10], ["z", 0]] as const) {
    clock.setTimeout(() => fired.push(`${name}@${clock.now() - 1000}`), ms);
  }
  assert.equal(base.pending(), 1);
  assert.equal(clock.pending(), 5);
  base.advance(25);
  assert.deepEqual([...fired], ["z@0", "a@10", "a2@10", "b@20"]);
  assert.equal(base.pending(), 1);
  base.advance(5);
  assert.equal(fired.at(-1), "c@30");
  assert.equal(base.pending(), 0, "nothing left: no timer beneath either");
});

Deno.test("PooledClock forgets cleared timers and leaves no timer beneath once all are", () => {
  const base = new VirtualClock();
  const clock = new PooledClock(base);
  const fired: number[] = [];
  const first = clock.setTimeout(() => fired.push(1), 10);
  const second = clock.setTimeout(() => fired.push(2), 20);
  clock.setTimeout(() => fired.push(3), 30);
  clock.clearTimeout(first);
  clock.clearTimeout(first); // twice: ignored
  clock.clearTimeout(999); // unknown: ignored
  base.advance(15);
  assert.deepEqual([...fired], []);
  clock.clearTimeout(second);
  base.advance(15);
  assert.deepEqual([...fired], [3]);
  const last = clock.setTimeout(() => fired.push(4), 5);
  clock.clearTimeout(last);
  assert.equal(base.pending(), 0);
  assert.equal(clock.pending(), 0);
});

Deno.test("PooledClock re-arms for an earlier timer scheduled after a later one", () => {
  const base = new VirtualClock();
  const clock = new PooledClock(base);
  const fired: string[] = [];
  clock.setTimeout(() => fired.push(`late@${clock.now()}`), 100);
  clock.setTimeout(() => fired.push(`early@${clock.now()}`), 10);
  assert.equal(base.pending(), 1, "still one timer beneath");
  base.advance(10);
  assert.deepEqual([...fired], ["early@10"]);
  base.advance(90);
  assert.deepEqual([...fired], ["early@10", "late@100"]);
});

Deno.test("PooledClock runs a timer scheduled while others run in a later turn, even at 0 ms", () => {
  const base = new VirtualClock();
  const clock = new PooledClock(base);
  const fired: string[] = [];
  let turns = 0;
  const again = () => {
    fired.push(`again@${clock.now()}`);
    if (++turns < 3) clock.setTimeout(again, 0);
  };
  clock.setTimeout(again, 5);
  clock.setTimeout(() => fired.push(`other@${clock.now()}`), 5);
  base.advance(5);
  // VirtualClock runs each timer beneath in its own call: three turns of the pooled clock.
  assert.deepEqual([...fired], ["again@5", "other@5", "again@5", "again@5"]);
  assert.equal(base.pending(), 0);
});

Deno.test("PooledClock runs the other due timers when one throws, then throws its error", () => {
  const base = new VirtualClock();
  const clock = new PooledClock(base);
  const fired: string[] = [];
  clock.setTimeout(() => fired.push("before"), 10);
  clock.setTimeout(() => {
    throw new Error("boom");
  }, 10);
  clock.setTimeout(() => fired.push("after"), 10);
  clock.setTimeout(() => fired.push("later"), 20);
  assert.throws(() => base.advance(10), /boom/);
  assert.deepEqual([...fired], ["before", "after"]);
  assert.equal(base.pending(), 1, "armed again for the later timer");
  base.advance(10);
  assert.deepEqual([...fired], ["before", "after", "later"]);
});

Deno.test("PooledClock treats a negative or NaN delay as 0 and a timer beneath that fires early as a wake-up", () => {
  const base = new VirtualClock();
  const clock = new PooledClock(base);
  const fired: string[] = [];
  clock.setTimeout(() => fired.push("negative"), -5);
  clock.setTimeout(() => fired.push("nan"), NaN);
  base.advance(0);
  assert.deepEqual([...fired], ["negative", "nan"]);
  // A clock beneath that caps long delays fires before the timer is due: nothing runs, it re-arms.
  const capped = new VirtualClock();
  const capping = {
    now: () => capped.now(),
    setTimeout: (fn: () => void, ms: number) => capped.setTimeout(fn, Math.min(ms, 100)),
    clearTimeout: (id: number) => capped.clearTimeout(id),
  };
  const pooled = new PooledClock(capping);
  pooled.setTimeout(() => fired.push(`long@${pooled.now()}`), 250);
  capped.advance(100);
  capped.advance(100);
  assert.equal(fired.length, 2);
  capped.advance(50);
  assert.equal(fired.at(-1), "long@250");
});

Deno.test("PooledClock arms the timer beneath once for all the timers its callbacks schedule", () => {
  let armed = 0;
  const base = new VirtualClock();
  const counting = {
    now: () => base.now(),
    setTimeout: (fn: () => void, ms: number) => (armed++, base.setTimeout(fn, ms)),
    clearTimeout: (id: number) => base.clearTimeout(id),
  };
  const clock = new PooledClock(counting);
  const fired: number[] = [];
  clock.setTimeout(() => {
    for (let i = 0; i < 100; i++) clock.setTimeout(() => fired.push(i), 100 - i);
  }, 10);
  assert.equal(armed, 1);
  base.advance(10);
  assert.equal(armed, 2, "once after the turn, for the earliest of the hundred");
  base.advance(100);
  assert.equal(fired.length, 100);
  assert.deepEqual(fired.slice(0, 3), [99, 98, 97]);
});
