import assert from "node:assert/strict";
import { BENGALURU_AREA } from "../sim/area.ts";
import { DemoDispatcher, type DispatchDriver, type DispatchOps } from "./demo_dispatcher.ts";
import { distanceMeters } from "../sim/_geo.ts";
import type { ApiOrder, NewApiOrder } from "./ops_client.ts";
import type { TripEvent } from "./order_trip.ts";
import { createRng } from "../sim/rng.ts";
import { RouteWalker } from "../sim/route_walker.ts";

/** The order API in memory, applying the lifecycle the service applies. */
class FakeOps implements DispatchOps {
  orders = new Map<string, ApiOrder>();
  log: string[] = [];
  #n = 0;
  createOrder(o: NewApiOrder): Promise<ApiOrder> {
    const order = { ...o, id: `o${this.#n++}`, driverId: null, status: "created" };
    this.orders.set(order.id, order);
    return Promise.resolve({ ...order });
  }
  assign(id: string, driverId: string): Promise<ApiOrder> {
    const o = this.orders.get(id)!;
    assert.equal(o.status, "created");
    Object.assign(o, { driverId, status: "assigned" });
    this.log.push(`assign ${id} ${driverId}`);
    return Promise.resolve({ ...o });
  }
  reads = 0;
  order(id: string): Promise<ApiOrder> {
    this.reads++;
    return Promise.resolve({ ...this.orders.get(id)! });
  }
  /** A driver's order event; returns the new status, or undefined when refused. */
  event(driverId: string, id: string, event: TripEvent): string | undefined {
    const o = this.orders.get(id)!;
    const from = event === "picked_up" ? "assigned" : "picked_up";
    if (o.driverId !== driverId || o.status !== from) return undefined;
    o.status = event;
    this.log.push(`${event} ${id}`);
    return o.status;
  }
}

function city(
  n: number,
  ops: FakeOps,
  opts: { lose?: (i: number) => "frame" | "answer" | undefined } = {},
) {
  let sent = 0;
  const answers: (() => void)[] = [];
  const drivers = Array.from({ length: n }, (_, i) => {
    const walker = new RouteWalker(createRng(100 + i));
    const d: DispatchDriver & { open: boolean; walker: RouteWalker } = {
      id: `d${i}`,
      open: true,
      walker,
      sendOrderEvent(orderId, event) {
        if (!d.open) return false;
        const lost = opts.lose?.(sent++);
        if (lost === "frame") return true; // lost on the way: the server never saw it
        const status = ops.event(d.id, orderId, event);
        if (status && lost !== "answer") answers.push(() => dispatcher.answer(d, orderId, status));
        return true;
      },
    };
    return d;
  });
  const dispatcher = new DemoDispatcher({
    ops,
    area: BENGALURU_AREA,
    rng: createRng(9),
    prefix: "t",
    activeOrders: Math.ceil(n / 2),
    trip: { pickupDwellS: 5, dropoffDwellS: 5, resendAfterS: 10 },
  });
  dispatcher.setDrivers(drivers);
  const run = async (seconds: number) => {
    for (let s = 0; s < seconds; s++) {
      for (const d of drivers) d.walker.advance(1);
      dispatcher.tick(1);
      for (const a of answers.splice(0)) a();
      for (let k = 0; k < 10; k++) await null;
    }
  };
  return { drivers, dispatcher, run };
}

Deno.test("DemoDispatcher keeps half the drivers on orders and drives them to delivered, again and again", async () => {
  const ops = new FakeOps();
  const { dispatcher, run } = city(10, ops);
  await run(2);
  assert.equal(dispatcher.active, 5, "five orders under way (activeOrders, 4 started per tick)");
  await run(3 * 3600);
  const statuses = [...ops.orders.values()].map((o) => o.status);
  const delivered = statuses.filter((s) => s === "delivered").length;
  assert.ok(delivered >= 10, `${delivered} delivered in three simulated hours`);
  assert.equal(dispatcher.counts.delivered, delivered);
  assert.equal(dispatcher.counts.failed, 0);
  assert.equal(statuses.filter((s) => s !== "delivered").length, dispatcher.active);
  assert.ok(dispatcher.active <= 5);
  for (const id of ops.orders.keys()) {
    const events = ops.log.filter((l) => l.endsWith(` ${id}`) || l.includes(` ${id} `));
    const expected = ["assign", "picked_up", "delivered"].slice(0, events.length);
    assert.deepEqual(events.map((e) => e.split(" ")[0]), expected, `order ${id} in order`);
  }
});

Deno.test("DemoDispatcher assigns the nearest idle driver with an open socket", async () => {
  const ops = new FakeOps();
  const { drivers, dispatcher, run } = city(6, ops);
  drivers[0]!.open = false;
  await run(1);
  for (const line of ops.log) {
    const [, id, driverId] = line.split(" ");
    assert.notEqual(driverId, "d0", "a driver without a socket gets nothing");
    const o = ops.orders.get(id!)!;
    const mine = drivers.find((d) => d.id === driverId)!.walker.position;
    const dist = (p: { lat: number; lon: number }) =>
      distanceMeters(p.lat, p.lon, o.pickup.lat, o.pickup.lon);
    // Nearest among those free when it was dispatched: at least no free open driver is nearer.
    const busy = new Set(ops.log.map((l) => l.split(" ")[2]));
    for (const d of drivers) {
      if (!d.open || busy.has(d.id)) continue;
      assert.ok(dist(d.walker.position) >= dist(mine), `${d.id} was nearer than ${driverId}`);
    }
  }
  assert.equal(dispatcher.restaurants.length, 12);
  for (const o of ops.orders.values()) {
    assert.ok(dispatcher.restaurants.some((r) => r.id === o.restaurantId));
    const m = distanceMeters(o.pickup.lat, o.pickup.lon, o.dropoff.lat, o.dropoff.lon);
    assert.ok(m <= 3001, `drop-off ${m} m from the restaurant`);
  }
});

Deno.test("DemoDispatcher recovers an order whose event frames were lost: resends, then reads it over REST", async () => {
  const ops = new FakeOps();
  // Of every three frames, one is lost before the server and one's answer is lost after it.
  const { dispatcher, run } = city(4, ops, {
    lose: (i) => i % 3 === 0 ? "frame" : i % 3 === 1 ? "answer" : undefined,
  });
  await run(3 * 3600);
  assert.ok(dispatcher.counts.delivered >= 4, `${dispatcher.counts.delivered} delivered`);
  assert.ok(ops.reads > 0, "orders whose answer was lost were read over REST");
  assert.equal(
    dispatcher.counts.delivered,
    [...ops.orders.values()].filter((o) => o.status === "delivered").length,
  );
  const stuck = [...ops.orders.values()].filter((o) => o.status !== "delivered");
  assert.ok(stuck.length <= dispatcher.active);
});
