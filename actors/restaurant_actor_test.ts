import assert from "node:assert/strict";
import { ActorSystem } from "./runtime/mod.ts";
import { RESTAURANT, restaurantActorKind, type RestaurantMessage } from "./restaurant_actor.ts";
import { ORDER } from "./order_actor.ts";
import type { Order, OrderStatus } from "../domain/order.ts";

const NOW = 1_732_400_000_000;

function order(id: string, status: OrderStatus = "created", restaurantId = "r1"): Order {
  return {
    id,
    restaurantId,
    customerId: "c1",
    driverId: status === "created" ? null : "d1",
    pickup: { lat: 12.9, lon: 77.6 },
    dropoff: { lat: 13.0, lon: 77.6 },
    status,
    createdAt: NOW,
    updatedAt: NOW,
  };
}

function setup(active: Order[]) {
  const system = new ActorSystem();
  const loads: string[] = [];
  /**
   * What the fake order actors got, as "orderId watch|unwatch viewerId"; a watch that would
   * close the dashboard when the order finishes (closeOnFinish true) ends in " closeOnFinish".
   */
  const told: string[] = [];
  system.register(ORDER, {
    create: (id) => ({
      receive: (m) => {
        if (m.type === "watch") {
          told.push(`${id} watch ${m.viewerId}${m.closeOnFinish ? " closeOnFinish" : ""}`);
        } else if (m.type === "unwatch") told.push(`${id} unwatch ${m.viewerId}`);
        else told.push(`${id} ${m.type}`);
      },
    }),
  });
  system.register(
    RESTAURANT,
    restaurantActorKind({
      store: {
        activeForRestaurant: (restaurantId) => {
          loads.push(restaurantId);
          return Promise.resolve(active.filter((o) => o.restaurantId === restaurantId));
        },
      },
      orders: system.refs(ORDER),
    }),
  );
  const restaurant = system.ref(RESTAURANT, "r1");
  const tell = async (...messages: RestaurantMessage[]) => {
    for (const m of messages) restaurant.tell(m);
    await system.settled();
  };
  /** What was told since the last call. */
  const drain = () => told.splice(0);
  return { system, loads, drain, tell };
}

Deno.test("RestaurantActor subscribes a watching dashboard to every active order from the store", async () => {
  const t = setup([order("o1"), order("o2", "assigned"), order("o9", "created", "r2")]);
  await t.tell({ type: "watch", viewerId: "dash1" });
  assert.deepEqual(t.drain(), ["o1 watch dash1", "o2 watch dash1"]);
  await t.tell({ type: "watch", viewerId: "dash2" });
  assert.deepEqual(t.drain(), ["o1 watch dash2", "o2 watch dash2"]);
  assert.deepEqual(t.loads, ["r1"], "the store is read once");
  await t.system.shutdown();
});

Deno.test("RestaurantActor subscribes all its dashboards to a new order of the restaurant, once", async () => {
  const t = setup([order("o1")]);
  await t.tell({ type: "watch", viewerId: "dash1" }, { type: "watch", viewerId: "dash2" });
  t.drain();
  await t.tell({ type: "order", order: order("o2") });
  assert.deepEqual(t.drain(), ["o2 watch dash1", "o2 watch dash2"]);
  await t.tell(
    { type: "order", order: order("o2", "assigned") },
    { type: "order", order: order("o1", "picked_up") },
  );
  assert.deepEqual(t.drain(), [], "orders already followed are not subscribed again");
  await t.system.shutdown();
});

Deno.test("RestaurantActor forgets a finished order", async () => {
  const t = setup([order("o1", "picked_up"), order("o2", "assigned")]);
  await t.tell({ type: "watch", viewerId: "dash1" });
  t.drain();
  await t.tell(
    { type: "order", order: order("o1", "delivered") },
    { type: "order", order: order("o2", "cancelled") },
  );
  assert.deepEqual(t.drain(), []);
  await t.tell({ type: "watch", viewerId: "dash2" }, { type: "unwatch", viewerId: "dash1" });
  assert.deepEqual(t.drain(), [], "neither a new dashboard nor an unwatch reaches them");
  await t.system.shutdown();
});

Deno.test("RestaurantActor ignores an order of another restaurant", async () => {
  const t = setup([]);
  await t.tell({ type: "watch", viewerId: "dash1" });
  await t.tell({ type: "order", order: order("o7", "created", "r2") });
  await t.tell({ type: "watch", viewerId: "dash2" });
  assert.deepEqual(t.drain(), []);
  await t.system.shutdown();
});

Deno.test("RestaurantActor unsubscribes a leaving dashboard from every order and stops after the last", async () => {
  const t = setup([order("o1"), order("o2", "assigned")]);
  await t.tell({ type: "watch", viewerId: "dash1" }, { type: "watch", viewerId: "dash2" });
  t.drain();
  await t.tell({ type: "unwatch", viewerId: "dash1" });
  assert.deepEqual(t.drain(), ["o1 unwatch dash1", "o2 unwatch dash1"]);
  assert.equal(t.system.has(RESTAURANT, "r1"), true);
  await t.tell({ type: "unwatch", viewerId: "dash2" });
  assert.deepEqual(t.drain(), ["o1 unwatch dash2", "o2 unwatch dash2"]);
  assert.equal(t.system.has(RESTAURANT, "r1"), false);
  await t.system.shutdown();
});
