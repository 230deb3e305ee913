import assert from "node:assert/strict";
import { ordersHttpRoute } from "./orders_http.ts";
import {
  answer,
  bearer,
  mounted,
  NEW_ORDER as NEW,
  TEST_ORDER as ORDER,
  TEST_SECRET,
} from "./_route_testing.ts";
import { ORDER as ORDER_KEY, type OrderMessage } from "../actors/order_actor.ts";
import { ActorSystem } from "../actors/runtime/mod.ts";

/** The order routes on a stub order actor (answers every message with ORDER) and store. */
function _setup() {
  const system = new ActorSystem();
  const received: OrderMessage["type"][] = [];
  system.register(ORDER_KEY, {
    create: () => ({
      receive(m) {
        received.push(m.type);
        if (m.type === "create" || m.type === "command") m.replyTo({ ok: true, order: ORDER });
      },
    }),
  });
  const app = mounted(ordersHttpRoute({
    system,
    secret: TEST_SECRET,
    store: {
      get: (id) => Promise.resolve(id === "o1" ? ORDER : undefined),
      notifications: () => Promise.resolve([]),
    },
  }));
  return { app, received, [Symbol.asyncDispose]: () => system.shutdown() };
}

async function _post(
  app: ReturnType<typeof _setup>["app"],
  path: string,
  as: [string, string],
  body: unknown,
) {
  return await answer(app.request(path, {
    method: "POST",
    headers: { ...(await bearer(as[0], as[1])), "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  }));
}

Deno.test("POST /orders: a restaurant for itself and ops create; others are 403", async () => {
  await using s = _setup();
  assert.equal((await _post(s.app, "/orders", ["restaurant", "r1"], NEW)).status, 201);
  assert.equal((await _post(s.app, "/orders", ["ops", "o"], NEW)).status, 201);
  for (const as of [["restaurant", "r2"], ["customer", "c1"], ["driver", "d1"]] as const) {
    const res = await _post(s.app, "/orders", [...as], NEW);
    assert.equal(res.status, 403, as.join(" "));
    assert.equal(res.body.error.code, "forbidden");
  }
  assert.deepEqual(s.received, ["create", "create"]);
});

Deno.test("POST /orders with truncated or empty JSON is 400 invalid_json", async () => {
  await using s = _setup();
  for (const body of ['{"restaurantId":"r1",', "", "   "]) {
    const res = await _post(s.app, "/orders", ["ops", "o"], body);
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.equal(res.body.error.code, "invalid_json");
    assert.doesNotMatch(res.body.error.message, /expected object/);
  }
  assert.deepEqual(s.received, []);
});

Deno.test("POST /orders with a wrong field is 400 invalid_body naming the field, without zod text", async () => {
  await using s = _setup();
  const res = await _post(s.app, "/orders", ["ops", "o"], { ...NEW, pickup: { lat: 91, lon: 0 } });
  assert.equal(res.status, 400);
  assert.deepEqual(res.body.error, {
    code: "invalid_body",
    message: "pickup.lat must be at most 90",
    field: "pickup.lat",
  });
  const missing = await _post(s.app, "/orders", ["ops", "o"], { restaurantId: "r1" });
  assert.equal(missing.body.error.field, "customerId");
  assert.equal(missing.body.error.message, "customerId is required");
  const nul = await _post(s.app, "/orders", ["ops", "o"], { ...NEW, customerId: "c\u00001" });
  assert.equal(nul.body.error.field, "customerId");
  assert.match(nul.body.error.message, /control characters/);
});

Deno.test("POST /orders/:id/assign is for ops only, and refuses a driverId with a NUL", async () => {
  await using s = _setup();
  assert.equal(
    (await _post(s.app, "/orders/o1/assign", ["ops", "o"], { driverId: "d1" })).status,
    200,
  );
  const restaurant = await _post(s.app, "/orders/o1/assign", ["restaurant", "r1"], {
    driverId: "d1",
  });
  assert.equal(restaurant.status, 403);
  const nul = await _post(s.app, "/orders/o1/assign", ["ops", "o"], { driverId: "d\u0000" });
  assert.equal(nul.status, 400);
  assert.equal(nul.body.error.field, "driverId");
});

Deno.test("GET /orders/:id: its customer, restaurant, driver and ops see it; others 403, unknown 404", async () => {
  await using s = _setup();
  for (
    const as of [["customer", "c1"], ["restaurant", "r1"], ["driver", "d1"], ["ops", "x"]] as const
  ) {
    const res = await answer(s.app.request("/orders/o1", { headers: await bearer(as[0], as[1]) }));
    assert.equal(res.status, 200, as.join(" "));
  }
  for (const as of [["customer", "c2"], ["restaurant", "r2"], ["driver", "d2"]] as const) {
    const res = await answer(s.app.request("/orders/o1", { headers: await bearer(as[0], as[1]) }));
    assert.equal(res.status, 403, as.join(" "));
  }
  const unknown = await answer(s.app.request("/orders/o9", { headers: await bearer("ops", "x") }));
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.error.code, "order_not_found");
});

Deno.test("POST /orders/:id/cancel: its restaurant and ops; its customer 403", async () => {
  await using s = _setup();
  assert.equal((await _post(s.app, "/orders/o1/cancel", ["restaurant", "r1"], {})).status, 200);
  assert.equal((await _post(s.app, "/orders/o1/cancel", ["ops", "o"], {})).status, 200);
  const customer = await _post(s.app, "/orders/o1/cancel", ["customer", "c1"], {});
  assert.equal(customer.status, 403);
});

Deno.test("orders: a NUL in the path id is 400 invalid_id; a wrong method is JSON 405", async () => {
  await using s = _setup();
  const nul = await answer(s.app.request("/orders/o%001", { headers: await bearer("ops", "x") }));
  assert.equal(nul.status, 400);
  assert.equal(nul.body.error.code, "invalid_id");
  const wrong = await answer(
    s.app.request("/orders/o1", { method: "DELETE", headers: await bearer("ops", "x") }),
  );
  assert.equal(wrong.status, 405);
  assert.equal(wrong.body.error.code, "method_not_allowed");
  assert.equal(wrong.headers.get("Allow"), "GET");
});
