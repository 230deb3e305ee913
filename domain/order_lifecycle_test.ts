import assert from "node:assert/strict";
import { isFinished, type OrderCommand, planTransition } from "./order_lifecycle.ts";
import { type Order, ORDER_STATUSES, type OrderStatus } from "./order.ts";

function order(status: OrderStatus, driverId: string | null = null): Order {
  return {
    id: "o1",
    restaurantId: "r1",
    customerId: "c1",
    driverId,
    pickup: { lat: 12.97, lon: 77.59 },
    dropoff: { lat: 12.99, lon: 77.61 },
    status,
    createdAt: 1,
    updatedAt: 1,
  };
}

function refused(o: Order, command: OrderCommand) {
  const plan = planTransition(o, command);
  assert.equal(plan.ok, false, `${command.type} on ${o.status} should be refused`);
  return plan as Extract<typeof plan, { ok: false }>;
}

Deno.test("planTransition assigns a created order to the driver", () => {
  assert.deepEqual(planTransition(order("created"), { type: "assign", driverId: "d1" }), {
    ok: true,
    from: ["created", "assigned"],
    to: "assigned",
    assignDriver: "d1",
  });
});

Deno.test("planTransition re-assigns an assigned order to another driver before pickup", () => {
  const plan = planTransition(order("assigned", "d1"), { type: "assign", driverId: "d2" });
  assert.deepEqual(plan, {
    ok: true,
    from: ["created", "assigned"],
    to: "assigned",
    assignDriver: "d2",
  });
});

Deno.test("planTransition refuses to assign an order that is picked up, delivered or cancelled", () => {
  for (const status of ["picked_up", "delivered", "cancelled"] as const) {
    const plan = refused(order(status, "d1"), { type: "assign", driverId: "d2" });
    assert.equal(plan.code, "invalid_transition");
    assert.match(plan.message, new RegExp(`is ${status}`));
  }
});

Deno.test("planTransition lets the assigned driver pick up an assigned order", () => {
  assert.deepEqual(planTransition(order("assigned", "d1"), { type: "picked_up", driverId: "d1" }), {
    ok: true,
    from: ["assigned"],
    to: "picked_up",
    requireDriver: "d1",
  });
});

Deno.test("planTransition lets the assigned driver deliver a picked-up order", () => {
  assert.deepEqual(
    planTransition(order("picked_up", "d1"), { type: "delivered", driverId: "d1" }),
    {
      ok: true,
      from: ["picked_up"],
      to: "delivered",
      requireDriver: "d1",
    },
  );
});

Deno.test("planTransition answers not_your_order to a driver event for another driver's order", () => {
  for (const type of ["picked_up", "delivered"] as const) {
    for (const o of [order("created"), order("assigned", "d1"), order("picked_up", "d1")]) {
      const plan = refused(o, { type, driverId: "d2" });
      assert.equal(plan.code, "not_your_order");
      assert.match(plan.message, /not assigned to driver d2/);
    }
  }
});

Deno.test("planTransition refuses picked_up unless the order is assigned, saying its status", () => {
  for (const status of ["picked_up", "delivered", "cancelled"] as const) {
    const plan = refused(order(status, "d1"), { type: "picked_up", driverId: "d1" });
    assert.equal(plan.code, "invalid_transition");
    assert.equal(plan.message, `order o1 is ${status}; picked_up needs it assigned`);
  }
});

Deno.test("planTransition refuses delivered unless the order is picked up, saying its status", () => {
  for (const status of ["assigned", "delivered", "cancelled"] as const) {
    const plan = refused(order(status, "d1"), { type: "delivered", driverId: "d1" });
    assert.equal(plan.code, "invalid_transition");
    assert.equal(plan.message, `order o1 is ${status}; delivered needs it picked_up`);
  }
});

Deno.test("planTransition cancels a created or assigned order", () => {
  for (const o of [order("created"), order("assigned", "d1")]) {
    assert.deepEqual(planTransition(o, { type: "cancel" }), {
      ok: true,
      from: ["created", "assigned"],
      to: "cancelled",
    });
  }
});

Deno.test("planTransition refuses to cancel after pickup", () => {
  for (const status of ["picked_up", "delivered", "cancelled"] as const) {
    const plan = refused(order(status, "d1"), { type: "cancel" });
    assert.equal(plan.code, "invalid_transition");
    assert.equal(plan.message, `order o1 is ${status}; cancel needs it created or assigned`);
  }
});

Deno.test("isFinished is true only for delivered and cancelled", () => {
  assert.deepEqual(ORDER_STATUSES.filter(isFinished), ["delivered", "cancelled"]);
});
