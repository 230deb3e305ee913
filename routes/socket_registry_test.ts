import assert from "node:assert/strict";
import { type SocketLease, SocketRegistry, type SocketRegistryOptions } from "./socket_registry.ts";

function _clock(start = 1_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

function _registry(options: Partial<SocketRegistryOptions> = {}, clock = _clock()) {
  return new SocketRegistry({
    maxSockets: 100,
    maxPerPrincipal: 3,
    rate: { perSec: 10, burst: 2 },
    clock,
    ...options,
  });
}

function _lease(admission: ReturnType<SocketRegistry["admit"]>): SocketLease {
  assert.ok(admission.ok, "admitted");
  return admission;
}

const d1 = { role: "driver", sub: "d1" } as const;
const c1 = { role: "customer", sub: "c1" } as const;

Deno.test("SocketRegistry refuses a principal's socket past maxPerPrincipal with 429 too_many_sockets", () => {
  const registry = _registry({ maxPerPrincipal: 2 });
  _lease(registry.admit(c1));
  _lease(registry.admit(c1));
  const third = registry.admit(c1);
  assert.equal(third.ok, false);
  assert.equal(!third.ok && third.status, 429);
  assert.equal(!third.ok && third.code, "too_many_sockets");
  assert.ok(registry.admit({ role: "customer", sub: "c2" }).ok, "another principal is admitted");
  assert.ok(registry.admit({ role: "driver", sub: "c1" }).ok, "the same sub in another role too");
});

Deno.test("SocketRegistry gives ops its own per-principal limit", () => {
  const registry = _registry({ maxPerPrincipal: 1, maxPerOps: 3 });
  const ops = { role: "ops", sub: "o1" } as const;
  for (let i = 0; i < 3; i++) _lease(registry.admit(ops));
  assert.equal(registry.admit(ops).ok, false);
  _lease(registry.admit(c1));
  assert.equal(registry.admit(c1).ok, false);
});

Deno.test("SocketRegistry refuses any socket past maxSockets with 503 server_at_capacity, until one is released", () => {
  const registry = _registry({ maxSockets: 2 });
  const first = _lease(registry.admit(c1));
  _lease(registry.admit(d1));
  const full = registry.admit({ role: "customer", sub: "c9" });
  assert.equal(!full.ok && full.status, 503);
  assert.equal(!full.ok && full.code, "server_at_capacity");
  first.release();
  first.release();
  assert.equal(registry.size, 1, "a second release changes nothing");
  assert.ok(registry.admit({ role: "customer", sub: "c9" }).ok);
});

Deno.test("SocketRegistry closes a driver's older socket with 4009 when an exclusive one is admitted", () => {
  const registry = _registry();
  const old = _lease(registry.admit(d1, { exclusive: true }));
  const closes: [string, number, string][] = [];
  old.opened((code, reason) => closes.push(["old", code, reason]));
  const newer = _lease(registry.admit(d1, { exclusive: true }));
  newer.opened((code, reason) => closes.push(["newer", code, reason]));
  assert.deepEqual(closes, [["old", 4009, "replaced by a newer connection"]]);
  assert.equal(registry.sizeOf(d1), 2, "the replaced one counts until it has closed");
  old.release();
  assert.equal(registry.sizeOf(d1), 1);
});

Deno.test("SocketRegistry closes a replaced socket as soon as it opens when it was replaced before", () => {
  const registry = _registry();
  const pending = _lease(registry.admit(d1, { exclusive: true }));
  _lease(registry.admit(d1, { exclusive: true }));
  const closes: number[] = [];
  pending.opened((code) => closes.push(code));
  assert.deepEqual(closes, [4009]);
});

Deno.test("SocketRegistry counts replaced driver sockets against the per-principal limit", () => {
  const registry = _registry({ maxPerPrincipal: 2 });
  _lease(registry.admit(d1, { exclusive: true }));
  _lease(registry.admit(d1, { exclusive: true }));
  const third = registry.admit(d1, { exclusive: true });
  assert.equal(!third.ok && third.status, 429, "old sockets that never close cannot pile up");
});

Deno.test("SocketRegistry does not replace viewer sockets admitted without exclusive", () => {
  const registry = _registry();
  const closes: number[] = [];
  _lease(registry.admit(c1)).opened((code) => closes.push(code));
  _lease(registry.admit(c1)).opened((code) => closes.push(code));
  assert.deepEqual(closes, []);
  assert.equal(registry.sizeOf(c1), 2);
});

Deno.test("SocketRegistry shares one rate limiter among a principal's sockets", () => {
  const registry = _registry({ rate: { perSec: 1, burst: 2 } });
  const a = _lease(registry.admit(c1));
  const b = _lease(registry.admit(c1));
  assert.equal(a.limiter, b.limiter);
  assert.equal(a.limiter.take(), "allowed");
  assert.equal(b.limiter.take(), "allowed");
  assert.equal(a.limiter.take(), "limited", "the second socket did not bring a second bucket");
  const other = _lease(registry.admit({ role: "customer", sub: "c2" }));
  assert.notEqual(other.limiter, a.limiter);
});

Deno.test("SocketRegistry keeps a drained limiter across a reconnect until it would be full again", () => {
  const clock = _clock();
  const registry = _registry({ rate: { perSec: 1, burst: 2 } }, clock);
  const first = _lease(registry.admit(d1, { exclusive: true }));
  first.limiter.take();
  first.limiter.take();
  first.release();
  const again = _lease(registry.admit(d1, { exclusive: true }));
  assert.equal(again.limiter.take(), "limited", "reconnecting does not refill the bucket");
  again.release();
  clock.advance(2_000);
  const later = _lease(registry.admit(d1, { exclusive: true }));
  assert.notEqual(later.limiter, first.limiter, "a rested limiter is dropped");
  assert.deepEqual([later.limiter.take(), later.limiter.take()], ["allowed", "allowed"]);
});

Deno.test("SocketRegistry refuses a limit below 1 with a RangeError", () => {
  assert.throws(() => _registry({ maxSockets: 0 }), RangeError);
  assert.throws(() => _registry({ maxPerPrincipal: 0 }), RangeError);
  assert.throws(() => _registry({ maxPerOps: 0.5 }), RangeError);
});
