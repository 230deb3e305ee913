import assert from "node:assert/strict";
import { Hono } from "hono";
import type { Principal } from "./auth.ts";
import { socketAdmission, type SocketEnv } from "./socket_admission.ts";
import { SocketRegistry } from "./socket_registry.ts";
import { Metrics } from "../infra/metrics.ts";

function _app(registry: SocketRegistry, principal: Principal) {
  const app = new Hono<SocketEnv>();
  app.get(
    "/ws",
    async (c, next) => {
      c.set("principal", principal);
      await next();
    },
    socketAdmission(registry),
    (c) => c.json({ held: registry.size }),
  );
  return app;
}

const c1: Principal = { role: "customer", sub: "c1" };

Deno.test("socketAdmission answers 429 too_many_sockets with Retry-After when the principal is at its limit", async () => {
  const registry = new SocketRegistry({
    maxSockets: 10,
    maxPerPrincipal: 1,
    rate: { perSec: 1, burst: 1 },
  });
  assert.ok(registry.admit(c1).ok);
  const res = await _app(registry, c1).request("/ws");
  assert.equal(res.status, 429);
  assert.equal(res.headers.get("retry-after"), "1");
  const body = await res.json();
  assert.equal(body.error.code, "too_many_sockets");
  assert.equal(typeof body.error.message, "string");
});

Deno.test("socketAdmission answers 503 server_at_capacity when the instance is full", async () => {
  const registry = new SocketRegistry({
    maxSockets: 1,
    maxPerPrincipal: 5,
    rate: { perSec: 1, burst: 1 },
  });
  assert.ok(registry.admit({ role: "driver", sub: "d1" }).ok);
  const res = await _app(registry, c1).request("/ws");
  assert.equal(res.status, 503);
  assert.equal((await res.json()).error.code, "server_at_capacity");
});

Deno.test("socketAdmission frees the place of a request that was not upgraded", async () => {
  const registry = new SocketRegistry({
    maxSockets: 1,
    maxPerPrincipal: 1,
    rate: { perSec: 1, burst: 1 },
  });
  const app = _app(registry, c1);
  const first = await app.request("/ws");
  assert.deepEqual(await first.json(), { held: 1 }, "held while the handler ran");
  assert.equal(registry.size, 0, "freed after a plain answer");
  const second = await app.request("/ws");
  assert.equal(second.status, 200, "so the next request is admitted");
  await second.body?.cancel();
});

Deno.test("socketAdmission counts each refusal by its code in tracking_limit_refusals_total", async () => {
  const metrics = new Metrics();
  const registry = new SocketRegistry({
    maxSockets: 10,
    maxPerPrincipal: 1,
    rate: { perSec: 1, burst: 1 },
  });
  const app = new Hono<SocketEnv>();
  app.get(
    "/ws",
    async (c, next) => {
      c.set("principal", c1);
      await next();
    },
    socketAdmission(registry, { metrics }),
    (c) => c.text("upgrade would happen here"),
  );
  assert.ok(registry.admit(c1).ok);
  await (await app.request("/ws")).body?.cancel();
  await (await app.request("/ws")).body?.cancel();
  assert.match(
    await metrics.render(),
    /tracking_limit_refusals_total\{reason="too_many_sockets"\} 2/,
  );
});
