import assert from "node:assert/strict";
import { type Service, startService } from "../service.ts";
import { cleanupRun, eventually, runId, testConfig, token } from "./_support.ts";
import { WsClient } from "./_ws_client.ts";

// The order routes' permissions, wired into the real service (Kafka + PostgreSQL): one walk through
// an order's life with a refusal at each step. The rules themselves are tested on `app.request`
// beside the routes (routes/orders_http_test.ts, routes/orders_http_permissions_test.ts,
// routes/viewer_ws_test.ts, routes/origin_guard_test.ts, routes/socket_guard_test.ts) and in the
// actors (actors/order_actor_test.ts: wrong driver, lifecycle). A refused socket handshake is
// observed with `fetch` and WebSocket upgrade headers, so no socket is ever opened.

const PICKUP = { lat: 12.93, lon: 77.6 };
const DROPOFF = { lat: 12.95, lon: 77.6 };

/** Who takes part in one test's orders; every id is unique to the run. */
function _cast(run: string) {
  return {
    restaurant: `rest-${run}`,
    otherRestaurant: `rest-other-${run}`,
    customer: `cust-${run}`,
    otherCustomer: `cust-other-${run}`,
    driver: `drv-${run}`,
    otherDriver: `drv-other-${run}`,
  };
}

/** A small HTTP client for one service. */
function _http(service: Service) {
  const base = `http://127.0.0.1:${service.port}`;
  return {
    base,
    ws: `ws://127.0.0.1:${service.port}`,
    /** Sends a request as `role`/`sub` (none without a role); returns the status and JSON body. */
    async call(
      method: string,
      path: string,
      as: [role: string, sub: string] | undefined,
      body?: unknown,
    ) {
      const headers: Record<string, string> = {};
      if (as) headers.Authorization = `Bearer ${await token(as[0], as[1])}`;
      const init: RequestInit = { method, headers };
      if (body !== undefined) {
        headers["content-type"] = "application/json";
        init.body = typeof body === "string" ? body : JSON.stringify(body);
      }
      const response = await fetch(`${base}${path}`, init);
      const text = await response.text();
      // deno-lint-ignore no-explicit-any
      let json: any;
      try {
        json = JSON.parse(text);
      } catch {
        json = text;
      }
      return { status: response.status, body: json };
    },
  };
}

type Http = ReturnType<typeof _http>;

/** Assigns a driver as ops. */
async function _assign(http: Http, orderId: string, driverId: string) {
  const assigned = await http.call("POST", `/orders/${orderId}/assign`, ["ops", "ops-1"], {
    driverId,
  });
  assert.equal(assigned.status, 200, JSON.stringify(assigned.body));
  assert.equal(assigned.body.status, "assigned");
}

/** The status a WebSocket handshake on `path` gets; the body is consumed. */
async function _handshake(
  http: Http,
  path: string,
  bearer: string | undefined,
  extra: Record<string, string> = {},
): Promise<number> {
  const headers: Record<string, string> = {
    Upgrade: "websocket",
    Connection: "Upgrade",
    "Sec-WebSocket-Version": "13",
    "Sec-WebSocket-Key": btoa("0123456789abcdef"),
    ...extra,
  };
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  const response = await fetch(`${http.base}${path}`, { headers });
  await response.body?.cancel();
  return response.status;
}

/** A driver's socket; sends an order event and waits for its answer (an `order` or `error`). */
async function _driverEvent(
  driver: WsClient,
  orderId: string,
  event: "picked_up" | "delivered",
  // deno-lint-ignore no-explicit-any
): Promise<any> {
  const before = driver.received.length;
  driver.send({ type: "order", orderId, event });
  let answer: unknown;
  await eventually(`the answer to ${event} of ${orderId}`, () => {
    answer = driver.received.slice(before).map((r) => r.frame)
      .find((f) => f.type === "order" || f.type === "error");
    return Promise.resolve(answer !== undefined);
  }, 10_000);
  return answer;
}

Deno.test("order permissions are wired: each step of an order's life by its party, refused for the others", async () => {
  const run = runId();
  const who = _cast(run);
  const service = await startService(testConfig(run));
  const http = _http(service);
  const clients: WsClient[] = [];
  try {
    const order = {
      restaurantId: who.restaurant,
      customerId: who.customer,
      pickup: PICKUP,
      dropoff: DROPOFF,
    };
    const refusedCreate = await http.call("POST", "/orders", ["customer", who.customer], order);
    assert.equal(refusedCreate.status, 403);
    const created = await http.call("POST", "/orders", ["restaurant", who.restaurant], order);
    assert.equal(created.status, 201);
    const id = created.body.id as string;
    const refusedAssign = await http.call("POST", `/orders/${id}/assign`, [
      "restaurant",
      who.restaurant,
    ], { driverId: who.driver });
    assert.equal(refusedAssign.status, 403);
    await _assign(http, id, who.driver);

    assert.equal((await http.call("GET", `/orders/${id}`, ["customer", who.customer])).status, 200);
    assert.equal(
      (await http.call("GET", `/orders/${id}`, ["customer", who.otherCustomer])).status,
      403,
    );
    assert.equal((await http.call("GET", `/orders/${id}`, undefined)).status, 401);
    const orderPath = `/ws/orders/${id}`;
    assert.equal(
      await _handshake(http, orderPath, await token("customer", who.otherCustomer)),
      403,
    );
    assert.equal(
      await _handshake(
        http,
        `/ws/restaurants/${who.restaurant}`,
        await token("restaurant", who.otherRestaurant),
      ),
      403,
    );

    const customer = await WsClient.connect(
      `${http.ws}${orderPath}`,
      await token("customer", who.customer),
    );
    const dash = await WsClient.connect(
      `${http.ws}/ws/restaurants/${who.restaurant}`,
      await token("restaurant", who.restaurant),
    );
    clients.push(customer, dash);
    await eventually(
      "the customer's first frame",
      () => Promise.resolve(customer.received.length > 0),
    );
    const first = customer.received[0]!.frame;
    assert.equal(first.type, "snapshot", "the snapshot comes first");
    assert.equal(first.order.driverId, who.driver);
    await eventually(
      "the dashboard's snapshot",
      () => Promise.resolve(dash.frames("snapshot").some((s) => s.orderId === id)),
    );

    // Another driver's order event is refused on its socket, which stays open; the order's driver is not.
    const intruder = await WsClient.connect(
      `${http.ws}/ws/driver`,
      await token("driver", who.otherDriver),
    );
    const driver = await WsClient.connect(
      `${http.ws}/ws/driver`,
      await token("driver", who.driver),
    );
    clients.push(intruder, driver);
    const refused = await _driverEvent(intruder, id, "picked_up");
    assert.equal(refused.code, "not_your_order");
    assert.equal(intruder.closeCode, undefined);
    assert.equal((await _driverEvent(driver, id, "picked_up")).status, "picked_up");
    await eventually(
      "the customer's status frame",
      () => Promise.resolve(customer.frames("status").some((s) => s.status === "picked_up")),
    );

    const cancelByCustomer = await http.call("POST", `/orders/${id}/cancel`, [
      "customer",
      who.customer,
    ]);
    assert.equal(cancelByCustomer.status, 403);
    const cancelled = await http.call("POST", `/orders/${id}/cancel`, [
      "restaurant",
      who.restaurant,
    ]);
    assert.equal(cancelled.status, 409, "a picked-up order is not cancelled");
    assert.equal((await _driverEvent(driver, id, "delivered")).status, "delivered");
    const afterDelivery = await http.call("POST", `/orders/${id}/assign`, ["ops", "ops-1"], {
      driverId: who.otherDriver,
    });
    assert.equal(afterDelivery.status, 409);
    assert.equal(afterDelivery.body.error.code, "invalid_transition");
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    await service.close();
    await cleanupRun(run);
  }
});
