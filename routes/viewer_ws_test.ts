import assert from "node:assert/strict";
import { viewerWsRoute } from "./viewer_ws.ts";
import { ViewerSockets } from "./viewer_sockets.ts";
import { SocketRegistry } from "./socket_registry.ts";
import { answer, bearer, mounted, TEST_SECRET } from "./_route_testing.ts";
import type { Order } from "../domain/order.ts";
import { ActorSystem } from "../actors/runtime/mod.ts";
import { sign } from "hono/jwt";

// Refusals happen before the upgrade, so `app.request` sees them without a server or socket.

const ORDER: Order = {
  id: "o1",
  restaurantId: "r1",
  customerId: "c1",
  driverId: null,
  pickup: { lat: 12.93, lon: 77.6 },
  dropoff: { lat: 12.95, lon: 77.6 },
  status: "created",
  createdAt: 1,
  updatedAt: 1,
};

function _setup(allowedOrigins: string[] = ["*"]) {
  const system = new ActorSystem();
  const app = mounted(viewerWsRoute({
    system,
    secret: TEST_SECRET,
    store: { get: (id) => Promise.resolve(id === "o1" ? ORDER : undefined) },
    sockets: new ViewerSockets({ system, rate: { perSec: 1, burst: 1 } }),
    registry: new SocketRegistry({
      maxSockets: 10,
      maxPerPrincipal: 2,
      rate: { perSec: 1, burst: 1 },
    }),
    allowedOrigins,
  }));
  return { app, [Symbol.asyncDispose]: () => system.shutdown() };
}

async function _watch(
  app: ReturnType<typeof _setup>["app"],
  path: string,
  as?: [string, string],
  extra: Record<string, string> = {},
) {
  const headers = { Upgrade: "websocket", ...(as ? await bearer(as[0], as[1]) : {}), ...extra };
  return await answer(app.request(path, { headers }));
}

Deno.test("GET /ws/orders/:id refuses other customers, restaurants and drivers before the upgrade", async () => {
  await using s = _setup();
  assert.equal((await _watch(s.app, "/ws/orders/o1")).status, 401);
  const other = await _watch(s.app, "/ws/orders/o1", ["customer", "c2"]);
  assert.equal(other.status, 403);
  assert.equal(other.body.error.code, "forbidden");
  // The route is for customers and ops only, even the order's own restaurant.
  assert.equal((await _watch(s.app, "/ws/orders/o1", ["restaurant", "r1"])).status, 403);
  assert.equal((await _watch(s.app, "/ws/orders/o1", ["driver", "d1"])).status, 403);
  const unknown = await _watch(s.app, "/ws/orders/o9", ["ops", "x"]);
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.error.code, "order_not_found");
});

Deno.test("GET /ws/restaurants/:id refuses another restaurant and customers", async () => {
  await using s = _setup();
  const other = await _watch(s.app, "/ws/restaurants/r1", ["restaurant", "r2"]);
  assert.equal(other.status, 403);
  assert.equal(other.body.error.code, "forbidden");
  assert.equal((await _watch(s.app, "/ws/restaurants/r1", ["customer", "c1"])).status, 403);
});

Deno.test("GET /ws/orders/:id of an unknown order is 404 for a customer too; /ws/restaurants/:id refuses drivers and no token", async () => {
  await using s = _setup();
  const unknown = await _watch(s.app, "/ws/orders/o9", ["customer", "c1"]);
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.error.code, "order_not_found");
  assert.equal((await _watch(s.app, "/ws/restaurants/r1", ["driver", "d1"])).status, 403);
  assert.equal((await _watch(s.app, "/ws/restaurants/r1")).status, 401);
});

Deno.test("viewer sockets: a token already expired is 401 before the upgrade", async () => {
  await using s = _setup();
  const exp = Math.floor(Date.now() / 1000) - 1;
  const expired = await sign({ sub: "c1", role: "customer", exp }, TEST_SECRET, "HS256");
  const res = await answer(s.app.request("/ws/orders/o1", {
    headers: { Upgrade: "websocket", Authorization: `Bearer ${expired}` },
  }));
  assert.equal(res.status, 401);
});

Deno.test("viewer sockets: an Origin not in ALLOWED_ORIGINS is 403 on both routes", async () => {
  await using s = _setup(["https://app.example"]);
  const routes = [["/ws/orders/o1", "customer", "c1"], ["/ws/restaurants/r1", "restaurant", "r1"]];
  for (const [path, role, sub] of routes as [string, string, string][]) {
    for (const origin of ["https://evil.example", "http://app.example", "null"]) {
      const res = await _watch(s.app, path, [role, sub], { Origin: origin });
      assert.equal(res.status, 403, `${path} from ${origin}`);
    }
  }
});
