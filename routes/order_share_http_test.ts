import assert from "node:assert/strict";
import { Hono } from "hono";
import { decode } from "hono/jwt";
import { orderShareHttpRoute } from "./order_share_http.ts";
import { ordersHttpRoute } from "./orders_http.ts";
import { orderTrackHttpRoute } from "./order_track_http.ts";
import { nearbyHttpRoute } from "./nearby_http.ts";
import { answer, bearer, emptyDriversRoute, mounted, TEST_SECRET } from "./_route_testing.ts";
import type { Order } from "../domain/order.ts";
import type { OrderShare, ShareStore } from "../domain/order_share.ts";
import { ActorSystem } from "../actors/runtime/mod.ts";

const T = 1_795_958_700_000;
const order = (id: string, customerId: string): Order => ({
  id,
  restaurantId: "r1",
  customerId,
  driverId: "d1",
  pickup: { lat: 12.93, lon: 77.6 },
  dropoff: { lat: 12.95, lon: 77.6 },
  status: "assigned",
  createdAt: T,
  updatedAt: T,
});

/** A share store in memory, as `order_share_links` keeps them. */
class MemoryShares implements ShareStore {
  rows = new Map<string, OrderShare & { revoked: boolean }>();
  create(share: OrderShare) {
    this.rows.set(share.shareId, { ...share, revoked: false });
    return Promise.resolve();
  }
  isActive(shareId: string, orderId: string) {
    const row = this.rows.get(shareId);
    return Promise.resolve(row !== undefined && row.orderId === orderId && !row.revoked);
  }
  revoke(orderId: string, shareId?: string) {
    let n = 0;
    for (const row of this.rows.values()) {
      if (row.orderId !== orderId || row.revoked) continue;
      if (shareId !== undefined && row.shareId !== shareId) continue;
      row.revoked = true;
      n++;
    }
    return Promise.resolve(n);
  }
}

/** The share, order, track and driver routes over two orders, o1 (customer c1) and o2 (c2). */
function _setup() {
  const orders = new Map([["o1", order("o1", "c1")], ["o2", order("o2", "c2")]]);
  const shares = new MemoryShares();
  const get = (id: string) => Promise.resolve(orders.get(id));
  const system = new ActorSystem();
  const app = new Hono();
  app.route(
    "/",
    nearbyHttpRoute({ secret: TEST_SECRET, nearby: () => Promise.resolve([]), maxAgeMs: 1 }),
  );
  app.route(
    "/",
    orderShareHttpRoute({ secret: TEST_SECRET, order: get, shares, ttlS: 86_400, maxTtlS: 3_600 }),
  );
  app.route(
    "/",
    orderTrackHttpRoute({
      secret: TEST_SECRET,
      order: get,
      shares,
      orderTimes: () => Promise.resolve({ assignedAt: T, pickedUpAt: null, deliveredAt: null }),
      store: { history: () => Promise.resolve([]) },
    }),
  );
  app.route(
    "/",
    ordersHttpRoute({
      system,
      secret: TEST_SECRET,
      store: { get, notifications: () => Promise.resolve([]) },
      shares,
    }),
  );
  app.route(
    "/",
    emptyDriversRoute(),
  );
  return { app: mounted(app), orders, shares, [Symbol.asyncDispose]: () => system.shutdown() };
}

type _App = ReturnType<typeof _setup>["app"];

async function _share(app: _App, id: string, as: [string, string]) {
  const headers = await bearer(...as);
  return await answer(app.request(`/orders/${id}/share`, { method: "POST", headers }));
}

async function _as(app: _App, token: string, path: string, method = "GET") {
  return await answer(app.request(path, { method, headers: { Authorization: `Bearer ${token}` } }));
}

Deno.test("POST /orders/:id/share: the order's customer and ops get a share token for that order, within JWT_MAX_TTL_S", async () => {
  await using s = _setup();
  for (const as of [["customer", "c1"], ["ops", "x"]] as [string, string][]) {
    const res = await _share(s.app, "o1", as);
    assert.equal(res.status, 201, as.join(":"));
    const { shareId, token, url, expiresAt, orderId } = res.body;
    assert.equal(orderId, "o1");
    assert.equal(url, `/track/o1?token=${token}`);
    const { payload } = decode(token);
    assert.deepEqual([payload.sub, payload.role, payload.jti], ["o1", "share", shareId]);
    assert.equal(payload.exp! - (payload.iat as number), 3_600, "capped by JWT_MAX_TTL_S");
    assert.equal(expiresAt, payload.exp! * 1000);
  }
  assert.equal(s.shares.rows.size, 2);
  for (const as of [["customer", "c2"], ["restaurant", "r1"], ["driver", "d1"]]) {
    const res = await _share(s.app, "o1", as as [string, string]);
    assert.equal(res.status, 403, as.join(":"));
  }
  assert.equal((await _share(s.app, "nope", ["ops", "x"])).status, 404);
  s.orders.set("o1", { ...order("o1", "c1"), status: "delivered" });
  const ended = await _share(s.app, "o1", ["customer", "c1"]);
  assert.deepEqual([ended.status, ended.body.error.code], [410, "share_ended"]);
});

Deno.test("a share token reads its order and track, and nothing else", async () => {
  await using s = _setup();
  const { token } = (await _share(s.app, "o1", ["customer", "c1"])).body;
  assert.equal((await _as(s.app, token, "/orders/o1")).body.id, "o1");
  assert.equal((await _as(s.app, token, "/orders/o1/track")).status, 200);
  const refused: [string, string, number][] = [
    ["GET", "/orders/o2", 403],
    ["GET", "/orders/o2/track", 403],
    ["GET", "/orders/o1/notifications", 403],
    ["POST", "/orders/o1/cancel", 403],
    ["POST", "/orders/o1/assign", 403],
    ["POST", "/orders/o1/share", 403],
    ["DELETE", "/orders/o1/share", 403],
    ["POST", "/orders", 403],
    ["GET", "/drivers/d1/location", 403],
    ["GET", "/drivers/d1/history", 403],
    ["GET", "/drivers/nearby?lat=0&lon=0", 403],
  ];
  for (const [method, path, status] of refused) {
    const res = await _as(s.app, token, path, method);
    assert.equal(res.status, status, `${method} ${path}`);
  }
});

Deno.test("a share token stops at delivery, at cancellation, and when revoked (one or all)", async () => {
  await using s = _setup();
  const mint = async () => (await _share(s.app, "o1", ["customer", "c1"])).body;
  const [a, b, c] = [await mint(), await mint(), await mint()];
  const ops = await bearer("ops", "x");
  const one = await answer(
    s.app.request(`/orders/o1/share/${a.shareId}`, { method: "DELETE", headers: ops }),
  );
  assert.deepEqual(one.body, { orderId: "o1", revoked: 1 });
  const revoked = await _as(s.app, a.token, "/orders/o1");
  assert.deepEqual([revoked.status, revoked.body.error.code], [401, "share_revoked"]);
  assert.equal((await _as(s.app, b.token, "/orders/o1")).status, 200, "the others still work");
  s.orders.set("o1", { ...order("o1", "c1"), status: "delivered" });
  for (const path of ["/orders/o1", "/orders/o1/track"]) {
    const ended = await _as(s.app, b.token, path);
    assert.deepEqual([ended.status, ended.body.error.code], [410, "share_ended"], path);
  }
  s.orders.set("o1", order("o1", "c1"));
  const all = await answer(s.app.request("/orders/o1/share", { method: "DELETE", headers: ops }));
  assert.deepEqual(all.body, { orderId: "o1", revoked: 2 });
  assert.equal((await _as(s.app, c.token, "/orders/o1/track")).body.error.code, "share_revoked");
  const other = await bearer("customer", "c2");
  const foreign = s.app.request("/orders/o1/share", { method: "DELETE", headers: other });
  assert.equal((await answer(foreign)).status, 403, "only its customer or ops revoke");
});
