import assert from "node:assert/strict";
import { orderTrackHttpRoute } from "./order_track_http.ts";
import { answer, bearer, mounted, TEST_ORDER, TEST_SECRET } from "./_route_testing.ts";
import type { Order } from "../domain/order.ts";
import type { LocationRecord } from "../domain/location_record.ts";
import type { HistoryQuery } from "../domain/history_store.ts";

const T = 1_795_958_700_000;
/** The route tests' order (o1 of r1, c1 and d1), delivered. */
const ORDER: Order = {
  ...TEST_ORDER,
  pickup: { lat: 12.95, lon: 77.6 },
  dropoff: { lat: 12.97, lon: 77.6 },
  status: "delivered",
  createdAt: T,
  updatedAt: T + 90_000,
};
const TIMES = { assignedAt: T + 10_000, pickedUpAt: T + 40_000, deliveredAt: T + 80_000 };
const FIX: LocationRecord = {
  driverId: "d1",
  seq: 1,
  ts: T + 20_000,
  lat: 1,
  lon: 2,
  region: "r",
  receivedAt: T,
};

function _app(order: Order | undefined = ORDER) {
  const reads: { driverId: string; query: HistoryQuery }[] = [];
  const app = mounted(orderTrackHttpRoute({
    secret: TEST_SECRET,
    order: (id) => Promise.resolve(id === order?.id ? order : undefined),
    orderTimes: (id) => Promise.resolve(id === order?.id ? TIMES : undefined),
    store: {
      history: (driverId, query) => (reads.push({ driverId, query }), Promise.resolve([FIX])),
    },
    now: () => T + 86_400_000,
  }));
  return { app, reads };
}

Deno.test("GET /orders/:id/track: the order's customer, restaurant, driver and ops read it; others get 403", async () => {
  const { app, reads } = _app();
  for (
    const [role, sub] of [["customer", "c1"], ["restaurant", "r1"], ["driver", "d1"], ["ops", "x"]]
  ) {
    const res = await answer(
      app.request("/orders/o1/track", { headers: await bearer(role!, sub!) }),
    );
    assert.equal(res.status, 200, `${role} ${sub}`);
    assert.deepEqual(res.body, { orderId: "o1", driverId: "d1", points: [FIX], next: null });
  }
  assert.equal(reads.length, 4);
  for (const [role, sub] of [["customer", "c2"], ["driver", "d2"], ["restaurant", "r2"]]) {
    const res = await answer(
      app.request("/orders/o1/track", { headers: await bearer(role!, sub!) }),
    );
    assert.equal(res.status, 403, `${role} ${sub}`);
    assert.equal(res.body.error.code, "forbidden");
  }
  assert.equal(reads.length, 4, "a refused caller reads nothing");
  const none = await answer(app.request("/orders/o9/track", { headers: await bearer("ops", "x") }));
  assert.equal(none.status, 404);
  assert.equal(none.body.error.code, "order_not_found");
  const anonymous = await answer(app.request("/orders/o1/track"));
  assert.equal(anonymous.status, 401);
});

Deno.test("GET /orders/:id/track reads the assigned driver's fixes from assignment to delivery, by page", async () => {
  const { app, reads } = _app();
  const headers = await bearer("customer", "c1");
  const res = await answer(
    app.request(`/orders/o1/track?limit=1&after=${T + 15_000}`, { headers }),
  );
  assert.equal(res.status, 200);
  assert.deepEqual(reads, [{
    driverId: "d1",
    query: { from: TIMES.assignedAt, to: TIMES.deliveredAt, after: T + 15_000, limit: 1 },
  }]);
  assert.equal(res.body.next, FIX.ts, "a full page has a next cursor");
  assert.equal(res.headers.get("link"), `</orders/o1/track?limit=1&after=${FIX.ts}>; rel="next"`);
  const bad = await answer(app.request("/orders/o1/track?limit=0", { headers }));
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.field, "limit");
});

Deno.test("GET /orders/:id/track of an order without a driver is empty, in every format", async () => {
  const waiting: Order = { ...ORDER, driverId: null, status: "created" };
  const { app, reads } = _app(waiting);
  const headers = await bearer("customer", "c1");
  const json = await answer(app.request("/orders/o1/track", { headers }));
  assert.deepEqual(json.body, { orderId: "o1", driverId: null, points: [], next: null });
  const geo = await answer(app.request("/orders/o1/track?format=geojson", { headers }));
  assert.deepEqual(geo.body, {
    type: "Feature",
    geometry: null,
    properties: { driverId: null, orderId: "o1", times: [], next: null },
  });
  assert.deepEqual(reads, []);
});
