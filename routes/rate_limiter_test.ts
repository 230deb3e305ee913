import assert from "node:assert/strict";
import { RateLimiter, type RateVerdict } from "./rate_limiter.ts";

function _clock(start = 1_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

function _take(limiter: RateLimiter, n: number): RateVerdict[] {
  return Array.from({ length: n }, () => limiter.take());
}

Deno.test("RateLimiter allows a burst at once, then limits the next frame", () => {
  const limiter = new RateLimiter({ perSec: 10, burst: 3, clock: _clock() });
  assert.deepEqual(_take(limiter, 4), ["allowed", "allowed", "allowed", "limited"]);
});

Deno.test("RateLimiter refills perSec tokens a second, never above burst", () => {
  const clock = _clock();
  const limiter = new RateLimiter({ perSec: 10, burst: 3, clock });
  _take(limiter, 3);
  clock.advance(99);
  assert.equal(limiter.take(), "limited", "0.99 of a token is not enough");
  clock.advance(1);
  assert.equal(limiter.take(), "allowed", "one token after 100 ms at 10/s");
  clock.advance(60_000);
  assert.deepEqual(_take(limiter, 4), ["allowed", "allowed", "allowed", "limited"]);
});

Deno.test("RateLimiter allows a client sending at its rate indefinitely", () => {
  const clock = _clock();
  const limiter = new RateLimiter({ perSec: 20, burst: 1, clock });
  for (let i = 0; i < 1000; i++) {
    assert.equal(limiter.take(), "allowed");
    clock.advance(50);
  }
});

Deno.test("RateLimiter calls the client abusive after more than burst rejected frames in a row", () => {
  const limiter = new RateLimiter({ perSec: 1, burst: 2, clock: _clock() });
  assert.deepEqual(_take(limiter, 5), ["allowed", "allowed", "limited", "limited", "abusive"]);
  assert.equal(limiter.rejected, 3);
  assert.equal(limiter.take(), "abusive", "stays abusive while it keeps flooding");
});

Deno.test("RateLimiter forgives rejected frames once the client is back within its limit", () => {
  const clock = _clock();
  const limiter = new RateLimiter({ perSec: 10, burst: 2, clock });
  assert.deepEqual(_take(limiter, 4), ["allowed", "allowed", "limited", "limited"]);
  clock.advance(100);
  assert.equal(limiter.take(), "allowed");
  assert.equal(limiter.rejected, 0);
  assert.deepEqual(_take(limiter, 3), ["limited", "limited", "abusive"]);
});

Deno.test("RateLimiter ignores a clock that goes backwards", () => {
  const clock = _clock();
  const limiter = new RateLimiter({ perSec: 10, burst: 1, clock });
  limiter.take();
  clock.advance(-5_000);
  assert.equal(limiter.take(), "limited");
  clock.advance(100);
  assert.equal(limiter.take(), "allowed");
});

Deno.test("RateLimiter limiters are independent: one flooding does not drain another", () => {
  const clock = _clock();
  const flood = new RateLimiter({ perSec: 5, burst: 5, clock });
  const calm = new RateLimiter({ perSec: 5, burst: 5, clock });
  _take(flood, 20);
  assert.equal(calm.take(), "allowed");
});

Deno.test("RateLimiter refuses a non-positive rate or burst with a RangeError", () => {
  assert.throws(() => new RateLimiter({ perSec: 0, burst: 1 }), RangeError);
  assert.throws(() => new RateLimiter({ perSec: 1, burst: 0.5 }), RangeError);
  assert.throws(() => new RateLimiter({ perSec: Number.NaN, burst: 1 }), RangeError);
  assert.throws(() => new RateLimiter({ perSec: 1, burst: Infinity }), RangeError);
});
