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
import type { Order } from "../domain/order.ts";
import { ORDER as ORDER_KEY, type OrderOutcome } from "../actors/order_actor.ts";
import { ActorSystem } from "../actors/runtime/mod.ts";

// The permission rules of the order routes that tests/order_permissions_test.ts checked through
// the whole service, here on `app.request` with a stub order actor and store.

/** A finished order: the stub actor refuses every command on it as the lifecycle does. */
const DONE: Order = { ...ORDER, id: "done", status: "delivered" };

/** The order actor's answer for `id`: not found, refused by the lifecycle, or the order. */
function _outcome(id: string): OrderOutcome {
  if (id === "done") {
    return { ok: false, code: "invalid_transition", message: "the order is delivered" };
  }
  if (id === "o1") return { ok: true, order: ORDER };
  return { ok: false, code: "order_not_found", message: `no order ${id}` };
}

function _setup() {
  const system = new ActorSystem();
  const received: string[] = [];
  system.register(ORDER_KEY, {
    create: (id) => ({
      receive(m) {
        received.push(`${m.type}:${id}`);
        if (m.type === "create") m.replyTo({ ok: true, order: ORDER });
        if (m.type === "command") m.replyTo(_outcome(id));
      },
    }),
  });
  const orders = new Map([[ORDER.id, ORDER], [DONE.id, DONE]]);
  const app = mounted(ordersHttpRoute({
    system,
    secret: TEST_SECRET,
    store: {
      get: (id) => Promise.resolve(orders.get(id)),
      notifications: () => Promise.resolve([]),
    },
  }));
  const call = async (method: string, path: string, as?: [string, string], body?: unknown) => {
    const headers: Record<string, string> = as ? await bearer(as[0], as[1]) : {};
    const init: RequestInit = { method, headers };
    if (body !== undefined) {
      headers["content-type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    return await answer(app.request(path, init));
  };
  return { app, call, received, [Symbol.asyncDispose]: () => system.shutdown() };
}

Deno.test("POST /orders: no token or an invalid token is 401, and nothing is created", async () => {
  await using s = _setup();
  assert.equal((await s.call("POST", "/orders", undefined, NEW)).status, 401);
  const bad = await answer(s.app.request("/orders", {
    method: "POST",
    headers: { Authorization: "Bearer not-a-jwt", "content-type": "application/json" },
    body: JSON.stringify(NEW),
  }));
  assert.equal(bad.status, 401);
  assert.deepEqual(s.received, []);
});

Deno.test("POST /orders/:id/assign: customers, restaurants and drivers 403, no token 401, an empty driverId 400; none reaches the order", async () => {
  await using s = _setup();
  const body = { driverId: "d2" };
  for (const as of [["customer", "c1"], ["restaurant", "r1"], ["driver", "d1"]] as const) {
    const refused = await s.call("POST", "/orders/o1/assign", [...as], body);
    assert.equal(refused.status, 403, as.join(" "));
    assert.equal(refused.body.error.code, "forbidden");
  }
  assert.equal((await s.call("POST", "/orders/o1/assign", undefined, body)).status, 401);
  const empty = await s.call("POST", "/orders/o1/assign", ["ops", "x"], { driverId: "" });
  assert.equal(empty.status, 400);
  assert.equal(empty.body.error.field, "driverId");
  assert.deepEqual(s.received, []);
});

Deno.test("POST /orders/:id/assign as ops: the order's answer; unknown 404, delivered or cancelled 409", async () => {
  await using s = _setup();
  const ok = await s.call("POST", "/orders/o1/assign", ["ops", "x"], { driverId: "d1" });
  assert.equal(ok.status, 200);
  assert.equal(ok.body.id, "o1");
  const unknown = await s.call("POST", "/orders/o9/assign", ["ops", "x"], { driverId: "d1" });
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.error.code, "order_not_found");
  const done = await s.call("POST", "/orders/done/assign", ["ops", "x"], { driverId: "d1" });
  assert.equal(done.status, 409);
  assert.equal(done.body.error.code, "invalid_transition");
});

Deno.test("POST /orders/:id/cancel: another restaurant, customers and the driver 403, no token 401, unknown 404, finished 409", async () => {
  await using s = _setup();
  for (
    const as of [["restaurant", "r2"], ["customer", "c1"], ["customer", "c2"], [
      "driver",
      "d1",
    ]] as const
  ) {
    const refused = await s.call("POST", "/orders/o1/cancel", [...as]);
    assert.equal(refused.status, 403, as.join(" "));
  }
  assert.equal((await s.call("POST", "/orders/o1/cancel")).status, 401);
  assert.deepEqual(s.received, [], "refusals never reach the order");
  const unknown = await s.call("POST", "/orders/o9/cancel", ["ops", "x"]);
  assert.equal(unknown.status, 404);
  const again = await s.call("POST", "/orders/done/cancel", ["restaurant", "r1"]);
  assert.equal(again.status, 409);
  assert.equal(again.body.error.code, "invalid_transition");
});

Deno.test("GET /orders/:id and /notifications: a party's id under another role is someone else; a refusal leaks nothing", async () => {
  await using s = _setup();
  for (const as of [["driver", "c1"], ["customer", "r1"], ["customer", "c2"]] as const) {
    const order = await s.call("GET", "/orders/o1", [...as]);
    assert.equal(order.status, 403, as.join(" "));
    assert.equal(order.body.id, undefined);
    assert.equal((await s.call("GET", "/orders/o1/notifications", [...as])).status, 403);
  }
  assert.equal((await s.call("GET", "/orders/o1")).status, 401);
  assert.equal((await s.call("GET", "/orders/o1/notifications")).status, 401);
});

Deno.test("GET /orders/:id/notifications: its customer, restaurant, driver and ops 200; others 403; unknown 404", async () => {
  await using s = _setup();
  for (
    const as of [["customer", "c1"], ["restaurant", "r1"], ["driver", "d1"], ["ops", "x"]] as const
  ) {
    const list = await s.call("GET", "/orders/o1/notifications", [...as]);
    assert.equal(list.status, 200, as.join(" "));
    assert.deepEqual(list.body, { orderId: "o1", notifications: [] });
  }
  for (const as of [["restaurant", "r2"], ["driver", "d2"]] as const) {
    assert.equal((await s.call("GET", "/orders/o1/notifications", [...as])).status, 403);
  }
  const unknown = await s.call("GET", "/orders/o9/notifications", ["ops", "x"]);
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.error.code, "order_not_found");
});
