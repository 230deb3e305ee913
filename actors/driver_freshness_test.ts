import assert from "node:assert/strict";
import { VirtualClock } from "./runtime/mod.ts";
import type { ActorTimers } from "./runtime/mod.ts";
import { DriverFreshness, STALE_TIMER } from "./driver_freshness.ts";

/** Timers on a virtual clock that record what they deliver. */
function setup(staleAfterMs = 30_000) {
  const clock = new VirtualClock(1_000_000);
  const fired: string[] = [];
  const ids = new Map<string, number>();
  const timers: ActorTimers<string> = {
    once: (key, ms, message) => {
      timers.cancel(key);
      ids.set(key, clock.setTimeout(() => fired.push(message), ms));
    },
    every: () => {
      throw new Error("not used");
    },
    cancel: (key) => {
      const id = ids.get(key);
      if (id !== undefined) clock.clearTimeout(id);
      ids.delete(key);
    },
  };
  const fresh = new DriverFreshness({ clock, timers }, { staleAfterMs, message: "stale" });
  return { clock, fired, ids, fresh };
}

Deno.test("DriverFreshness fires its timer staleAfterMs after the server received the fix, and marks it stale once", () => {
  const { clock, fired, fresh } = setup();
  assert.equal(fresh.ageMs(), undefined);
  assert.equal(fresh.lapsed(), false, "no fix, nothing to lapse");
  assert.equal(fresh.seen(clock.now() - 5_000), false, "received 5 s ago: fresh");
  assert.equal(fresh.ageMs(), 5_000);
  clock.advance(24_999);
  assert.deepEqual(fired, []);
  clock.advance(1);
  assert.deepEqual(fired, ["stale"], "at 30 s of age");
  assert.equal(fresh.lapsed(), true);
  assert.equal(fresh.stale, true);
  assert.equal(fresh.lapsed(), false, "once per lapse");
  clock.advance(60_000);
  assert.deepEqual(fired, ["stale"], "no timer runs while stale");
  assert.equal(fresh.ageMs(), 90_000);
});

Deno.test("DriverFreshness: a fix clears the mark unless it is that old already", () => {
  const { clock, fresh } = setup(10_000);
  fresh.seen(clock.now());
  clock.advance(10_000);
  assert.equal(fresh.lapsed(), true);
  assert.equal(fresh.seen(clock.now() - 12_000), true, "an old fix (from the store) stays stale");
  assert.equal(fresh.seen(clock.now() - 1_000), false, "a recent one clears it");
  assert.equal(fresh.stale, false);
  assert.equal(fresh.ageMs(), 1_000);
});

Deno.test("DriverFreshness: a timer that fires early is set again for the time left; pause and reset stop it", () => {
  const { clock, fired, ids, fresh } = setup(10_000);
  fresh.seen(clock.now());
  clock.advance(4_000);
  assert.equal(fresh.lapsed(), false, "4 s old: not yet");
  assert.ok(ids.has(STALE_TIMER));
  clock.advance(6_000);
  assert.deepEqual(fired, ["stale"]);
  fresh.seen(clock.now());
  fresh.pause();
  assert.equal(ids.has(STALE_TIMER), false);
  clock.advance(20_000);
  assert.deepEqual(fired, ["stale"], "paused: no timer");
  fresh.reset();
  assert.equal(fresh.ageMs(), undefined);
  assert.equal(fresh.stale, false);
  assert.throws(() => setup(0), RangeError);
});
