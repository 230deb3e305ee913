import assert from "node:assert/strict";
import { viewerWsRoute } from "./viewer_ws.ts";
import { ViewerSockets } from "./viewer_sockets.ts";
import { SocketRegistry } from "./socket_registry.ts";
import { answer, bearer, mounted, TEST_SECRET } from "./_route_testing.ts";
import type { Order } from "../domain/order.ts";
import { ActorSystem } from "../actors/runtime/mod.ts";

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

function _setup() {
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
    allowedOrigins: ["*"],
  }));
  return { app, [Symbol.asyncDispose]: () => system.shutdown() };
}

async function _watch(app: ReturnType<typeof _setup>["app"], path: string, as?: [string, string]) {
  const headers = { Upgrade: "websocket", ...(as ? await bearer(as[0], as[1]) : {}) };
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
