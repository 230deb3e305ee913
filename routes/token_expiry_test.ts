import assert from "node:assert/strict";
import { type Clock, VirtualClock } from "../actors/runtime/mod.ts";
import { closeOnExpiry } from "./token_expiry.ts";

function _recorder() {
  const closes: [number, string][] = [];
  return { closes, close: (code: number, reason: string) => void closes.push([code, reason]) };
}

Deno.test("closeOnExpiry closes with 4001 when exp passes, not before", () => {
  const clock = new VirtualClock(1_000_000);
  const { closes, close } = _recorder();
  closeOnExpiry({ exp: 1_000 + 30 }, close, { clock });
  clock.advance(29_999);
  assert.deepEqual(closes, []);
  clock.advance(1);
  assert.deepEqual(closes, [[4001, "token expired"]]);
  clock.advance(3_600_000);
  assert.equal(closes.length, 1, "closes once");
});

Deno.test("closeOnExpiry does not close after it was cancelled", () => {
  const clock = new VirtualClock(1_000_000);
  const { closes, close } = _recorder();
  const cancel = closeOnExpiry({ exp: 1_010 }, close, { clock });
  cancel();
  cancel();
  clock.advance(60_000);
  assert.deepEqual(closes, []);
});

Deno.test("closeOnExpiry closes at once when exp has already passed", () => {
  const clock = new VirtualClock(1_000_000);
  const { closes, close } = _recorder();
  closeOnExpiry({ exp: 999 }, close, { clock });
  assert.deepEqual(closes, [[4001, "token expired"]]);
});

Deno.test("closeOnExpiry never closes a socket whose token has no exp", () => {
  const clock = new VirtualClock(0);
  const { closes, close } = _recorder();
  closeOnExpiry({}, close, { clock });
  closeOnExpiry({ exp: undefined }, close, { clock });
  clock.advance(10 * 365 * 86_400_000);
  assert.deepEqual(closes, []);
});

Deno.test("closeOnExpiry uses the close code it is given", () => {
  const clock = new VirtualClock(0);
  const { closes, close } = _recorder();
  closeOnExpiry({ exp: 1 }, close, { clock, code: 4401 });
  clock.advance(1_000);
  assert.deepEqual(closes, [[4401, "token expired"]]);
});

Deno.test("closeOnExpiry waits again when the clock fires a long timer early (capped delay)", () => {
  const inner = new VirtualClock(0);
  const capMs = 1_000;
  const capped: Clock = {
    now: () => inner.now(),
    setTimeout: (fn, ms) => inner.setTimeout(fn, Math.min(ms, capMs)),
    clearTimeout: (id) => inner.clearTimeout(id),
  };
  const { closes, close } = _recorder();
  const cancel = closeOnExpiry({ exp: 5 }, close, { clock: capped });
  inner.advance(4_999);
  assert.deepEqual(closes, []);
  inner.advance(1);
  assert.deepEqual(closes, [[4001, "token expired"]]);
  cancel();
});

Deno.test("closeOnExpiry on the system clock leaves no timer behind once cancelled", () => {
  const { closes, close } = _recorder();
  const cancel = closeOnExpiry({ exp: Math.floor(Date.now() / 1000) + 3600 }, close);
  cancel();
  assert.deepEqual(closes, []);
});

Deno.test("closeOnExpiry cancelled after a capped timer fired cancels the rescheduled one", () => {
  const inner = new VirtualClock(0);
  const capped: Clock = {
    now: () => inner.now(),
    setTimeout: (fn, ms) => inner.setTimeout(fn, Math.min(ms, 1_000)),
    clearTimeout: (id) => inner.clearTimeout(id),
  };
  const { closes, close } = _recorder();
  const cancel = closeOnExpiry({ exp: 5 }, close, { clock: capped });
  inner.advance(2_500);
  cancel();
  inner.advance(10_000);
  assert.deepEqual(closes, []);
});
