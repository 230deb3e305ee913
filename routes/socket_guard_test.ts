import assert from "node:assert/strict";
import { SocketGuard } from "./socket_guard.ts";
import { RateLimiter } from "./rate_limiter.ts";
import { VirtualClock } from "../actors/runtime/mod.ts";

const principal = { sub: "d1", role: "driver" as const };

Deno.test("SocketGuard passes text, refuses binary, closes 1009 on a frame over 64 KiB", () => {
  const guard = new SocketGuard(principal, { rate: { perSec: 100, burst: 100 } });
  assert.deepEqual(guard.screen("{}"), { ok: true, text: "{}" });
  const binary = guard.screen(new Uint8Array([1]));
  assert.equal(!binary.ok && binary.error?.code, "invalid_frame");
  assert.equal(!binary.ok && binary.close, undefined);
  const big = guard.screen("x".repeat(64 * 1024 + 1));
  assert.equal(!big.ok && big.error?.code, "frame_too_large");
  assert.equal(!big.ok && big.close?.code, 1009);
});

Deno.test("SocketGuard answers rate_limited over the limit, then closes 4029 without an error frame", () => {
  const clock = new VirtualClock(0);
  const guard = new SocketGuard(principal, { rate: { perSec: 1, burst: 2 }, clock });
  const verdicts = Array.from({ length: 5 }, () => guard.screen("{}"));
  assert.deepEqual(verdicts.map((v) => v.ok), [true, true, false, false, false]);
  assert.equal(!verdicts[2]!.ok && verdicts[2]!.error?.code, "rate_limited");
  const last = verdicts[4]!;
  assert.equal(!last.ok && last.close?.code, 4029);
  assert.equal(!last.ok && last.error, undefined);
});

Deno.test("SocketGuard closes 4001 when the token expires and reports a close only once", () => {
  const clock = new VirtualClock(1_000_000);
  const guard = new SocketGuard({ ...principal, exp: 1_002 }, {
    rate: { perSec: 1, burst: 1 },
    clock,
  });
  const closes: number[] = [];
  guard.open((code) => closes.push(code));
  clock.advance(1_999);
  assert.deepEqual(closes, []);
  clock.advance(1);
  assert.deepEqual(closes, [4001]);
  assert.equal(guard.closed(), true);
  assert.equal(guard.closed(), false);
});

Deno.test("SocketGuard uses the limiter it is given, so two sockets of one principal share a budget", () => {
  const clock = new VirtualClock(0);
  const limiter = new RateLimiter({ perSec: 1, burst: 2, clock });
  const a = new SocketGuard(principal, { rate: { perSec: 1, burst: 2 }, clock, limiter });
  const b = new SocketGuard(principal, { rate: { perSec: 1, burst: 2 }, clock, limiter });
  assert.equal(a.screen("{}").ok, true);
  assert.equal(b.screen("{}").ok, true);
  const third = a.screen("{}");
  assert.equal(!third.ok && third.error?.code, "rate_limited");
});
