// Integration tests for PostgresOrderStore against the PostgreSQL server at
// DATABASE_URL. Each test works in a fresh schema of its own, dropped at the
// end, so parallel and earlier runs cannot interfere.
import assert from "node:assert/strict";
import type { NewOrder } from "../domain/order.ts";
import { migrate, PostgresOrderStore, type Sql } from "../infra/postgres/mod.ts";
import { withSchema } from "./_pg_schema.ts";

const T0 = 1_732_400_000_000;

/** Runs `fn` with a migrated store in a new schema; `connect` opens more pools on it. */
function withStore(
  fn: (store: PostgresOrderStore, connect: (max: number) => Sql) => Promise<void>,
): Promise<void> {
  return withSchema(async (connect) => {
    const sql = connect(2);
    await migrate(sql);
    await fn(new PostgresOrderStore(sql), connect);
  });
}

function newOrder(restaurantId = "r1", customerId = "c1"): NewOrder {
  return {
    restaurantId,
    customerId,
    pickup: { lat: 12.97, lon: 77.59 },
    dropoff: { lat: 12.93, lon: 77.62 },
  };
}

/** A transition from created to assigned with this driver. */
function assign(driverId: string) {
  return { from: ["created"], to: "assigned", assignDriver: driverId } as const;
}

function near(orderId: string, thresholdMeters: number, distanceMeters = thresholdMeters - 10) {
  return {
    orderId,
    kind: "driver_near" as const,
    thresholdMeters,
    distanceMeters,
    driverId: "d1",
    ts: T0,
  };
}

Deno.test("OrderStore create returns a created order with a UUID that get reads back unchanged", async () => {
  await withStore(async (store) => {
    const order = await store.create(newOrder(), T0);
    assert.match(order.id, /^[0-9a-f-]{36}$/);
    assert.deepEqual(order, {
      id: order.id,
      ...newOrder(),
      driverId: null,
      status: "created",
      createdAt: T0,
      updatedAt: T0,
    });
    assert.deepEqual(await store.get(order.id), order);
    assert.equal(await store.get("no-such-order"), undefined);
    await assert.rejects(store.create(newOrder(), 1.5), RangeError);
  });
});

Deno.test("OrderStore transition succeeds only from the listed statuses", async () => {
  await withStore(async (store) => {
    const { id } = await store.create(newOrder(), T0);
    const pickup = { from: ["assigned"], to: "picked_up" } as const;
    assert.equal(await store.transition(id, pickup, T0 + 1), undefined);
    const assigned = await store.transition(id, assign("d1"), T0 + 2);
    assert.deepEqual([assigned?.status, assigned?.driverId, assigned?.updatedAt], [
      "assigned",
      "d1",
      T0 + 2,
    ]);
    assert.equal(await store.transition(id, assign("d2"), T0 + 3), undefined);
    assert.equal((await store.transition(id, pickup, T0 + 4))?.status, "picked_up");
    assert.equal(
      await store.transition(id, { from: ["created", "assigned"], to: "cancelled" }, T0 + 5),
      undefined,
    );
    assert.deepEqual(await store.get(id), { ...assigned, status: "picked_up", updatedAt: T0 + 4 });
    assert.equal(
      await store.transition("no-such-order", { from: ["created"], to: "cancelled" }, T0),
      undefined,
    );
  });
});

Deno.test("OrderStore transition with requireDriver refuses another driver", async () => {
  await withStore(async (store) => {
    const { id } = await store.create(newOrder(), T0);
    await store.transition(id, assign("d1"), T0);
    const pickup = { from: ["assigned"], to: "picked_up" } as const;
    assert.equal(await store.transition(id, { ...pickup, requireDriver: "d2" }, T0 + 1), undefined);
    assert.equal((await store.get(id))?.status, "assigned");
    assert.equal(
      (await store.transition(id, { ...pickup, requireDriver: "d1" }, T0 + 2))?.status,
      "picked_up",
    );
  });
});

Deno.test("OrderStore refuses an assigned order without a driver (database check)", async () => {
  await withStore(async (store) => {
    const { id } = await store.create(newOrder(), T0);
    await assert.rejects(store.transition(id, { from: ["created"], to: "assigned" }, T0));
    assert.equal((await store.get(id))?.status, "created");
  });
});

Deno.test("OrderStore concurrent transitions of one order from the same status: exactly one wins", async () => {
  await withStore(async (store, connect) => {
    const { id } = await store.create(newOrder(), T0);
    const instances = [connect(4), connect(4)].map((sql) => new PostgresOrderStore(sql));
    const results = await Promise.all(
      Array.from(
        { length: 8 },
        (_, i) => instances[i % 2]!.transition(id, assign(`d${i}`), T0 + i),
      ),
    );
    const winners = results.filter((r) => r !== undefined);
    assert.equal(winners.length, 1);
    assert.deepEqual(await store.get(id), winners[0]);
  });
});

Deno.test("OrderStore activeForDrivers returns only assigned and picked-up orders of the given drivers", async () => {
  await withStore(async (store) => {
    const setups = [
      ["d1", "assigned"],
      ["d2", "picked_up"],
      ["d1", "delivered"],
      ["d2", "cancelled"],
      ["d3", "assigned"],
    ] as const;
    const ids: string[] = [(await store.create(newOrder(), T0)).id]; // stays created
    for (const [driverId, to] of setups) {
      const { id } = await store.create(newOrder(), T0 + ids.length);
      ids.push(id);
      await store.transition(id, { from: ["created"], to, assignDriver: driverId }, T0);
    }
    assert.deepEqual((await store.activeForDrivers(["d1", "d2", "d9"])).map((o) => o.id), [
      ids[1],
      ids[2],
    ]);
    assert.deepEqual((await store.activeForDrivers(["d3"])).map((o) => o.status), ["assigned"]);
    assert.deepEqual(await store.activeForDrivers([]), []);
  });
});

Deno.test("OrderStore activeForRestaurant returns the restaurant's open orders, oldest first", async () => {
  await withStore(async (store) => {
    const newest = await store.create(newOrder("r1"), T0 + 30);
    const oldest = await store.create(newOrder("r1"), T0 + 10);
    const assigned = await store.create(newOrder("r1"), T0 + 20);
    await store.transition(assigned.id, assign("d1"), T0 + 40);
    for (const to of ["delivered", "cancelled"] as const) {
      const { id } = await store.create(newOrder("r1"), T0);
      await store.transition(id, { from: ["created"], to, assignDriver: "d2" }, T0);
    }
    await store.create(newOrder("r2"), T0);
    assert.deepEqual((await store.activeForRestaurant("r1")).map((o) => o.id), [
      oldest.id,
      assigned.id,
      newest.id,
    ]);
    assert.deepEqual(await store.activeForRestaurant("nobody"), []);
  });
});

Deno.test("OrderStore recordNotification twice stores one row; the second call gets the first one with created=false", async () => {
  await withStore(async (store) => {
    const { id } = await store.create(newOrder(), T0);
    const first = await store.recordNotification(near(id, 500, 480), T0 + 1);
    assert.deepEqual(first, {
      notification: { id: `${id}:driver_near:500`, ...near(id, 500, 480), createdAt: T0 + 1 },
      created: true,
      published: false,
    });
    const again = await store.recordNotification({ ...near(id, 500, 300), ts: T0 + 9 }, T0 + 9);
    assert.deepEqual(again, { ...first, created: false });
    assert.deepEqual(await store.notifications(id), [first.notification]);
  });
});

Deno.test("OrderStore recordNotification from concurrent calls creates exactly one row", async () => {
  await withStore(async (store, connect) => {
    const { id } = await store.create(newOrder(), T0);
    const instances = [connect(4), connect(4)].map((sql) => new PostgresOrderStore(sql));
    const results = await Promise.all(
      Array.from(
        { length: 8 },
        (_, i) => instances[i % 2]!.recordNotification(near(id, 200, 190 - i), T0 + i),
      ),
    );
    const created = results.filter((r) => r.created);
    assert.equal(created.length, 1);
    for (const r of results) assert.deepEqual(r.notification, created[0]!.notification);
    assert.equal((await store.notifications(id)).length, 1);
  });
});

Deno.test("OrderStore markPublished marks the notification, and later records report it published", async () => {
  await withStore(async (store) => {
    const { id } = await store.create(newOrder(), T0);
    const { notification } = await store.recordNotification(near(id, 200), T0);
    await store.markPublished(notification.id);
    await store.markPublished(notification.id);
    const again = await store.recordNotification(near(id, 200), T0 + 5);
    assert.deepEqual([again.created, again.published], [false, true]);
    assert.equal((await store.recordNotification(near(id, 100), T0 + 6)).published, false);
  });
});

Deno.test("OrderStore notifications lists an order's notifications oldest first", async () => {
  await withStore(async (store) => {
    const a = await store.create(newOrder(), T0);
    const b = await store.create(newOrder(), T0);
    await store.recordNotification(near(a.id, 100), T0 + 30);
    await store.recordNotification({ ...near(a.id, 300), kind: "driver_arriving" }, T0 + 10);
    await store.recordNotification(near(a.id, 500), T0 + 20);
    await store.recordNotification(near(b.id, 500), T0 + 5);
    const ids = (await store.notifications(a.id)).map((n) => n.id);
    assert.deepEqual(ids, [
      `${a.id}:driver_arriving:300`,
      `${a.id}:driver_near:500`,
      `${a.id}:driver_near:100`,
    ]);
    assert.deepEqual(await store.notifications("no-such-order"), []);
  });
});
