import assert from "node:assert/strict";
import { Hono } from "hono";
import { answer, bearer, TEST_SECRET } from "./_route_testing.ts";
import { PrincipalLimiters } from "./principal_limiters.ts";
import { restRateLimit } from "./rest_rate_limit.ts";
import { handleApiErrors } from "./error_handling.ts";
import { Metrics } from "../infra/metrics.ts";

/** An app with the limit in front of a write, a read and a socket route, as the service has it. */
function app(clock: { now(): number }, metrics?: Metrics) {
  const a = new Hono();
  a.use(
    "*",
    restRateLimit({
      secret: TEST_SECRET,
      writes: { perSec: 2, burst: 3 },
      reads: { perSec: 10, burst: 5 },
      opsFactor: 10,
      clock,
      metrics,
    }),
  );
  a.post("/orders", (c) => c.json({ ok: true }, 201));
  a.get("/orders/:id", (c) => c.json({ ok: true }));
  a.get("/ws/orders/:id", (c) => c.json({ ok: true }));
  handleApiErrors(a, { log: () => {} });
  return a;
}

const post = (a: Hono, headers: Record<string, string>) =>
  a.request("/orders", { method: "POST", headers, body: "{}" });

Deno.test("restRateLimit: past its write burst a principal gets 429 rate_limited with Retry-After; another principal is not affected", async () => {
  const clock = { now: () => 0 };
  const metrics = new Metrics();
  const a = app(clock, metrics);
  const flooder = await bearer("restaurant", "r1");
  const statuses = [];
  for (let i = 0; i < 5; i++) statuses.push((await post(a, flooder)).status);
  assert.deepEqual(statuses, [201, 201, 201, 429, 429]);
  const refused = await answer(post(a, flooder));
  assert.equal(refused.status, 429);
  assert.equal(refused.body.error.code, "rate_limited");
  assert.match(refused.body.error.message, /at most 2 writes a second per restaurant/);
  assert.equal(refused.headers.get("Retry-After"), "1");
  // Another restaurant, and the same id in another role, have budgets of their own.
  assert.equal((await post(a, await bearer("restaurant", "r2"))).status, 201);
  assert.equal((await post(a, await bearer("customer", "r1"))).status, 201);
  // Reads are a separate budget: the flooder may still read.
  assert.equal((await a.request("/orders/o1", { headers: flooder })).status, 200);
  // Half a second later one token is back (2 a second).
  clock.now = () => 500;
  assert.equal((await post(a, flooder)).status, 201);
  assert.equal((await post(a, flooder)).status, 429);
  const counted = (await metrics.limitRefusals.get()).values
    .find((v) => v.labels.reason === "rate_limited")?.value;
  assert.equal(counted, 4);
});

Deno.test("restRateLimit: reads have their own looser budget, ops gets opsFactor times both", async () => {
  const clock = { now: () => 0 };
  const a = app(clock);
  const customer = await bearer("customer", "c1");
  const reads = [];
  for (let i = 0; i < 6; i++) {
    reads.push((await a.request("/orders/o1", { headers: customer })).status);
  }
  assert.deepEqual(reads, [200, 200, 200, 200, 200, 429]);
  const ops = await bearer("ops", "ops-1");
  let created = 0;
  for (let i = 0; i < 40; i++) if ((await post(a, ops)).status === 201) created++;
  assert.equal(created, 30, "ops: a burst of 3 x 10");
});

Deno.test("restRateLimit: requests without a valid token and socket upgrades pass untouched", async () => {
  const clock = { now: () => 0 };
  const a = app(clock);
  for (let i = 0; i < 10; i++) {
    assert.equal((await post(a, {})).status, 201, "anonymous: the route decides");
    assert.equal((await post(a, { Authorization: "Bearer not-a-jwt" })).status, 201);
    const forged = (await bearer("restaurant", "r1")).Authorization!.slice(0, -2) + "xx";
    assert.equal((await post(a, { Authorization: forged })).status, 201);
  }
  const driver = await bearer("customer", "c1");
  for (let i = 0; i < 10; i++) {
    const upgrade = await a.request("/ws/orders/o1", {
      headers: { ...driver, Upgrade: "websocket" },
    });
    assert.equal(upgrade.status, 200, "the socket limits cover upgrades");
  }
});

Deno.test("PrincipalLimiters drops a principal's limiter once it would be full again, so the map stays bounded", () => {
  let now = 0;
  const limiters = new PrincipalLimiters({
    rate: { perSec: 2, burst: 4 },
    clock: { now: () => now },
  });
  for (let i = 0; i < 1_000; i++) limiters.take(`restaurant:r${i}`);
  assert.equal(limiters.size, 1_000);
  for (let i = 0; i < 4; i++) limiters.take("restaurant:busy");
  assert.equal(limiters.take("restaurant:busy"), "limited");
  now = 1_999; // 4 / 2 s after their one request the others are full again; busy too at 2 s
  limiters.take("restaurant:busy");
  assert.equal(limiters.size, 1_001);
  now = 2_000;
  limiters.take("restaurant:other");
  assert.equal(limiters.size, 2, "the 1,000 idle ones are gone");
  now = 10_000;
  limiters.take("restaurant:new");
  assert.equal(limiters.size, 1);
});
