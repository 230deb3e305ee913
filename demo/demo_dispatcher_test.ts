import assert from "node:assert/strict";
import { BENGALURU_AREA } from "../sim/area.ts";
import {
  DEMO_DISPATCHER_DEFAULTS,
  DemoDispatcher,
  type DispatchDriver,
  type DispatchOps,
} from "./demo_dispatcher.ts";
import { distanceMeters } from "../sim/_geo.ts";
import type { ApiOrder, NearbyApiDriver, NearbyApiQuery, NewApiOrder } from "./ops_client.ts";
import type { TripEvent } from "./order_trip.ts";
import { createRng } from "../sim/rng.ts";
import { RouteWalker } from "../sim/route_walker.ts";

/** The order API in memory, applying the lifecycle the service applies. */
class FakeOps implements DispatchOps {
  orders = new Map<string, ApiOrder>();
  log: string[] = [];
  /** Where the drivers are, as the service's index has them (the city's, plus any). */
  fleet: { id: string; position: { lat: number; lon: number } }[] = [];
  searches = 0;
  #n = 0;
  /** `GET /drivers/nearby?state=idle`: idle (by the orders) within the radius, nearest first. */
  nearby(q: NearbyApiQuery): Promise<NearbyApiDriver[]> {
    this.searches++;
    const busy = new Set(
      [...this.orders.values()].filter((o) => o.status === "assigned" || o.status === "picked_up")
        .map((o) => o.driverId),
    );
    const found = this.fleet.filter((d) => !busy.has(d.id))
      .map((d) => ({
        driverId: d.id,
        state: "idle",
        distanceM: distanceMeters(q.lat, q.lon, d.position.lat, d.position.lon),
      }))
      .filter((d) => d.distanceM <= q.radiusM)
      .sort((a, b) => a.distanceM - b.distanceM);
    return Promise.resolve(found.slice(0, q.limit));
  }
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
  opts: {
    lose?: (i: number) => "frame" | "answer" | undefined;
    openingHopsS?: number[];
    onAssigned?: (order: ApiOrder, opening: boolean) => void;
  } = {},
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
    ...(opts.openingHopsS ? { openingHopsS: opts.openingHopsS } : {}),
    ...(opts.onAssigned ? { onAssigned: opts.onAssigned } : {}),
  });
  dispatcher.setDrivers(drivers);
  ops.fleet = drivers.map((d) => ({
    id: d.id,
    get position() {
      return d.walker.position;
    },
  }));
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
  await run(6);
  assert.equal(
    dispatcher.active,
    5,
    "five orders under way (activeOrders): the opening, then more",
  );
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

Deno.test("DemoDispatcher opens with drivers waiting at restaurants: the first order is picked up and delivered within 20 simulated seconds", async () => {
  const ops = new FakeOps();
  const firsts: { order: ApiOrder; opening: boolean }[] = [];
  const { drivers, dispatcher, run } = city(20, ops, {
    onAssigned: (order, opening) => firsts.push({ order, opening }),
  });
  const fastest = Math.max(...drivers.map((d) => d.walker.cruise));
  await run(1);
  // The first order assigned is the opening's quickest: its restaurant stands where the
  // fastest driver starts, its drop-off five seconds of that driver's cruise away.
  const first = firsts[0]!;
  assert.ok(first.opening);
  const driver = drivers.find((d) => d.id === first.order.driverId)!;
  assert.equal(driver.walker.cruise, fastest);
  const o = first.order;
  const hop = distanceMeters(o.pickup.lat, o.pickup.lon, o.dropoff.lat, o.dropoff.lon);
  assert.ok(Math.abs(hop - 5 * fastest) < 1, `drop-off ${hop} m from the restaurant`);
  const atStart = driver.walker.position;
  assert.ok(distanceMeters(atStart.lat, atStart.lon, o.pickup.lat, o.pickup.lon) < 25);
  let seconds = 1;
  while (ops.orders.get(o.id)!.status !== "delivered" && seconds < 60) {
    await run(1);
    seconds++;
  }
  assert.ok(seconds <= 20, `delivered ${seconds} simulated seconds after its assignment`);
  assert.deepEqual(ops.log.filter((l) => l.includes(` ${o.id}`)).map((l) => l.split(" ")[0]), [
    "assign",
    "picked_up",
    "delivered",
  ]);
  // The opening orders (six), each at its own restaurant, before any other, hops growing.
  const openings = firsts.filter((f) => f.opening);
  const n = DEMO_DISPATCHER_DEFAULTS.openingHopsS.length;
  assert.equal(openings.length, n);
  assert.deepEqual(firsts.slice(0, n), openings);
  assert.equal(new Set(openings.map((f) => f.order.restaurantId)).size, n);
  const hops = openings.map(({ order: { pickup: p, dropoff: d } }) =>
    distanceMeters(p.lat, p.lon, d.lat, d.lon)
  );
  assert.ok(hops.every((m, i) => i === 0 || m > hops[i - 1]!), `hops ${hops}`);
  // Each waited at its restaurant: all picked up by the time the first is delivered.
  for (const f of openings) {
    assert.notEqual(ops.orders.get(f.order.id)!.status, "assigned", `${f.order.id} picked up`);
  }
  assert.equal(dispatcher.counts.failed, 0);
});

Deno.test("DemoDispatcher assigns through the nearby search: the nearest of its own open, free drivers", async () => {
  const ops = new FakeOps();
  const { drivers, run } = city(6, ops, { openingHopsS: [] });
  drivers[2]!.open = false;
  // The service's index also holds a driver of another city, right at every restaurant.
  const searchOf = ops.nearby.bind(ops);
  ops.nearby = async (q) => [
    { driverId: "someone-else", state: "idle", distanceM: 0 },
    ...(await searchOf(q)),
  ];
  await run(1);
  assert.ok(ops.searches > 0, "the dispatcher asked GET /drivers/nearby");
  assert.ok(ops.log.length > 0);
  for (const line of ops.log) {
    const [, , driverId] = line.split(" ");
    assert.notEqual(driverId, "someone-else");
    assert.notEqual(driverId, "d2", "a driver without a socket gets nothing");
  }
});
