import assert from "node:assert/strict";
import { ActorSystem, VirtualClock } from "./runtime/mod.ts";
import {
  ORDER,
  type OrderActorDeps,
  orderActorKind,
  type OrderMessage,
  type OrderOutcome,
} from "./order_actor.ts";
import type { OrderCommand, OrderTransition } from "../domain/order_lifecycle.ts";
import type { NewOrder, Order } from "../domain/order.ts";
import type { ViewerFrame } from "./order_protocol.ts";
import type { OrderNotification } from "../domain/order_notification.ts";
import { haversineMeters } from "../domain/geo.ts";
import type { EtaEstimator } from "./eta_estimator.ts";
import { VIEWER, type ViewerMessage } from "./viewer_actor.ts";
import { WatchIndex } from "./watch_index.ts";
import { LIVE_ROUTER } from "./live_router.ts";
import type { LocationRecord } from "../domain/location_record.ts";
import type { OrderEvent } from "../domain/order_event.ts";
import type { OrderEventPublisher } from "../domain/order_event_publisher.ts";
import { RegionMap } from "../domain/region_map.ts";

const NOW = 1_732_400_000_000;
const METERS_PER_DEGREE = 111_195.08; // along a meridian, for haversineMeters' radius
const regions = new RegionMap({
  catchAll: { name: "other", partition: 2 },
  regions: [
    { name: "north", partition: 0, bbox: [77.45, 12.97, 77.75, 13.15] },
    { name: "south", partition: 1, bbox: [77.45, 12.85, 77.75, 12.97] },
  ],
});
const PICKUP = { lat: 12.9, lon: 77.6 }; // south: partition 1
const DROPOFF = { lat: 13.0, lon: 77.6 }; // north: partition 0
const INPUT: NewOrder = { restaurantId: "r1", customerId: "c1", pickup: PICKUP, dropoff: DROPOFF };

function order(fields: Partial<Order> = {}): Order {
  return {
    id: "o1",
    ...INPUT,
    driverId: null,
    status: "created",
    createdAt: NOW,
    updatedAt: NOW,
    ...fields,
  };
}

const assigned = (fields: Partial<Order> = {}) =>
  order({ status: "assigned", driverId: "d1", updatedAt: NOW + 1, ...fields });

function fix(ts: number, fields: Partial<LocationRecord> = {}): LocationRecord {
  return { driverId: "d1", seq: ts, ts, ...PICKUP, region: "south", receivedAt: ts, ...fields };
}

/** A fix `meters` due south of `point`. */
function southOf(point: { lat: number; lon: number }, meters: number, ts: number): LocationRecord {
  return fix(ts, { lat: point.lat - meters / METERS_PER_DEGREE, lon: point.lon });
}

function note(kind: "driver_near" | "driver_arriving", meters: number): OrderNotification {
  return {
    id: `o1:${kind}:${meters}`,
    orderId: "o1",
    kind,
    thresholdMeters: meters,
    distanceMeters: meters - 5,
    driverId: "d1",
    ts: NOW,
    createdAt: NOW,
  };
}

type Store = OrderActorDeps["store"];

/** An order store in memory whose `transition` is the conditional UPDATE, faithfully. */
class FakeOrderStore implements Store {
  orders = new Map<string, Order>();
  notes: OrderNotification[] = [];
  creates: { input: NewOrder; now: number; id: string | undefined }[] = [];
  transitions: { id: string; change: OrderTransition; now: number }[] = [];
  gets = 0;

  create(input: NewOrder, now: number, id?: string): Promise<Order> {
    this.creates.push({ input, now, id });
    const created = order({ ...input, id: id ?? "generated", createdAt: now, updatedAt: now });
    this.orders.set(created.id, created);
    return Promise.resolve(created);
  }
  get(id: string): Promise<Order | undefined> {
    this.gets++;
    return Promise.resolve(this.orders.get(id));
  }
  transition(id: string, change: OrderTransition, now: number): Promise<Order | undefined> {
    const { from, to, assignDriver, requireDriver } = change;
    this.transitions.push({
      id,
      change: {
        from,
        to,
        ...(assignDriver !== undefined && { assignDriver }),
        ...(requireDriver !== undefined && { requireDriver }),
      },
      now,
    });
    const current = this.orders.get(id);
    if (!current || !from.includes(current.status)) return Promise.resolve(undefined);
    if (requireDriver !== undefined && current.driverId !== requireDriver) {
      return Promise.resolve(undefined);
    }
    const updated = { ...current, status: to, driverId: assignDriver ?? current.driverId };
    this.orders.set(id, { ...updated, updatedAt: now });
    return Promise.resolve(this.orders.get(id));
  }
  notifications(orderId: string): Promise<OrderNotification[]> {
    return Promise.resolve(this.notes.filter((n) => n.orderId === orderId));
  }
}

class FakePublisher implements OrderEventPublisher {
  events: OrderEvent[] = [];
  publish(event: OrderEvent): Promise<void> {
    this.events.push(event);
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** Straight line at a constant 10 m/s, whatever the speed; records the stops it was asked about. */
class FakeEta implements EtaEstimator {
  targets: { lat: number; lon: number }[] = [];
  estimate(from: { lat: number; lon: number }, to: { lat: number; lon: number }) {
    this.targets.push({ lat: to.lat, lon: to.lon });
    const meters = haversineMeters(from.lat, from.lon, to.lat, to.lon);
    return { seconds: Math.round(meters / 10), distanceMeters: Math.round(meters) };
  }
}

interface SetupOptions {
  stored?: Order;
  notes?: OrderNotification[];
  latest?: LocationRecord;
  lingerMs?: number;
}

function setup(options: SetupOptions = {}) {
  const clock = new VirtualClock(NOW);
  const system = new ActorSystem({ clock });
  const store = new FakeOrderStore();
  if (options.stored) store.orders.set(options.stored.id, options.stored);
  store.notes = options.notes ?? [];
  const events = new FakePublisher();
  const partitionSets: number[][] = [];
  const watch = new WatchIndex((p) => partitionSets.push([...p].sort()));
  const eta = new FakeEta();
  const received = new Map<string, ViewerMessage[]>();
  system.register(VIEWER, {
    create: (id) => ({
      receive: (m) => void received.set(id, [...received.get(id) ?? [], m]),
    }),
  });
  // The live router, as far as this actor is concerned: the watch index its messages build.
  system.register(LIVE_ROUTER, {
    create: () => ({
      receive: (m) => {
        if (m.type === "watch") watch.set(m.orderId, m.driverId, m.partitions);
        if (m.type === "watchPartition") watch.addPartition(m.orderId, m.partition);
        if (m.type === "unwatch") watch.remove(m.orderId);
      },
    }),
  });
  system.register(
    ORDER,
    orderActorKind({
      store,
      events,
      router: system.ref(LIVE_ROUTER, "live"),
      viewers: system.refs(VIEWER),
      regions,
      eta,
      latestPosition: (driverId) =>
        Promise.resolve(options.latest?.driverId === driverId ? options.latest : undefined),
      ...(options.lingerMs !== undefined && { lingerMs: options.lingerMs }),
    }),
  );
  const actor = system.ref(ORDER, "o1");
  const command = (c: OrderCommand) =>
    actor.ask<OrderOutcome>((replyTo) => ({ type: "command", command: c, replyTo }));
  const watchAs = async (viewerId: string, closeOnFinish = true) => {
    actor.tell({ type: "watch", viewerId, closeOnFinish });
    await system.settled();
  };
  const tell = async (...messages: OrderMessage[]) => {
    for (const m of messages) actor.tell(m);
    await system.settled();
  };
  /** Everything a viewer got. */
  const got = (viewerId: string) => received.get(viewerId) ?? [];
  /** The frames a viewer got, of one type if given. */
  const frames = <T extends ViewerFrame["type"]>(viewerId: string, type?: T) =>
    got(viewerId).flatMap((m) =>
      m.type === "frame" && (type === undefined || m.frame.type === type) ? [m.frame] : []
    ) as Extract<ViewerFrame, { type: T }>[];
  return {
    clock,
    system,
    store,
    events,
    watch,
    partitionSets,
    eta,
    actor,
    command,
    watchAs,
    tell,
    got,
    frames,
  };
}

const statuses = (events: OrderEvent[]) =>
  events.map((e) => e.type === "order" ? e.order.status : e.type);

Deno.test("OrderActor create stores and publishes an order event and answers the order", async () => {
  const t = setup();
  const outcome = await t.actor.ask<OrderOutcome>((replyTo) => ({
    type: "create",
    input: INPUT,
    replyTo,
  }));
  assert.deepEqual(t.store.creates, [{ input: INPUT, now: NOW, id: "o1" }]);
  assert.deepEqual(outcome, { ok: true, order: order() });
  assert.deepEqual(t.events.events, [{ type: "order", order: order() }]);
  const again = await t.actor.ask<OrderOutcome>((replyTo) => ({
    type: "create",
    input: INPUT,
    replyTo,
  }));
  assert.deepEqual(again, { ok: true, order: order() });
  assert.equal(t.store.creates.length, 1, "an existing order is answered, not created again");
  assert.equal(t.events.events.length, 1);
  await t.system.shutdown();
});

Deno.test("OrderActor follows the lifecycle, storing each change with the planned from/to and publishing it", async () => {
  const t = setup({ stored: order() });
  t.clock.advance(10);
  const a = await t.command({ type: "assign", driverId: "d1" });
  t.clock.advance(10);
  const p = await t.command({ type: "picked_up", driverId: "d1" });
  t.clock.advance(10);
  const d = await t.command({ type: "delivered", driverId: "d1" });
  assert.deepEqual(
    [a, p, d].map((o) => o.ok && [o.order.status, o.order.driverId, o.order.updatedAt]),
    [["assigned", "d1", NOW + 10], ["picked_up", "d1", NOW + 20], ["delivered", "d1", NOW + 30]],
  );
  assert.deepEqual(t.store.transitions, [
    {
      id: "o1",
      change: { from: ["created", "assigned"], to: "assigned", assignDriver: "d1" },
      now: NOW + 10,
    },
    {
      id: "o1",
      change: { from: ["assigned"], to: "picked_up", requireDriver: "d1" },
      now: NOW + 20,
    },
    {
      id: "o1",
      change: { from: ["picked_up"], to: "delivered", requireDriver: "d1" },
      now: NOW + 30,
    },
  ]);
  assert.deepEqual(statuses(t.events.events), ["assigned", "picked_up", "delivered"]);
  assert.deepEqual(t.events.events.at(-1), { type: "order", order: t.store.orders.get("o1") });
  await t.system.shutdown();
});

Deno.test("OrderActor refuses a wrong driver and a delivery before pickup, changing and publishing nothing", async () => {
  const t = setup({ stored: assigned() });
  await t.watchAs("v1");
  const wrong = await t.command({ type: "picked_up", driverId: "d2" });
  const early = await t.command({ type: "delivered", driverId: "d1" });
  assert.equal(wrong.ok || wrong.code, "not_your_order");
  assert.equal(early.ok || early.code, "invalid_transition");
  assert.deepEqual(t.store.transitions, []);
  assert.deepEqual(t.events.events, []);
  assert.deepEqual(t.store.orders.get("o1"), assigned());
  await t.system.settled();
  assert.deepEqual(t.frames("v1").map((f) => f.type), ["snapshot"]);
  await t.system.shutdown();
});

Deno.test("OrderActor answers order_not_found for a command on an order that does not exist", async () => {
  const t = setup();
  const outcome = await t.command({ type: "assign", driverId: "d1" });
  assert.equal(outcome.ok || outcome.code, "order_not_found");
  assert.deepEqual(t.store.transitions, []);
  await t.system.shutdown();
});

Deno.test("OrderActor re-reads the order when another instance changed it first and answers from the fresh state", async () => {
  const t = setup({ stored: assigned() });
  await t.watchAs("v1");
  // Another instance re-assigns the order to d2; this actor has not seen the event yet.
  t.store.orders.set("o1", assigned({ driverId: "d2", updatedAt: NOW + 5 }));
  const gets = t.store.gets;
  const outcome = await t.command({ type: "picked_up", driverId: "d1" });
  assert.equal(t.store.transitions.length, 1, "the conditional update ran and matched nothing");
  assert.equal(t.store.gets, gets + 1, "then the order was read again");
  assert.equal(outcome.ok || outcome.code, "not_your_order");
  assert.deepEqual(t.events.events, []);
  await t.system.settled();
  assert.deepEqual(t.frames("v1", "status"), [
    { type: "status", orderId: "o1", status: "assigned", driverId: "d2", at: NOW + 5 },
  ]);
  // The fresh state is kept: d2's pickup now plans from it and succeeds.
  const ok = await t.command({ type: "picked_up", driverId: "d2" });
  assert.equal(ok.ok && ok.order.status, "picked_up");
  await t.system.shutdown();
});

Deno.test({
  name: "OrderActor checks a refusal against the store before answering it",
  fn: async () => {
    const t = setup({ stored: order() });
    await t.watchAs("v1");
    t.store.orders.set("o1", assigned({ updatedAt: NOW + 5 })); // assigned on another instance
    const outcome = await t.command({ type: "picked_up", driverId: "d1" });
    assert.equal(outcome.ok && outcome.order.status, "picked_up");
    assert.deepEqual(statuses(t.events.events), ["picked_up"]);
    await t.system.shutdown();
  },
});

Deno.test("OrderActor sends a watcher a snapshot (status, last position, notifications) then location frames", async () => {
  const latest = fix(NOW - 2000, { seq: 7, lat: 12.89 });
  const t = setup({ stored: assigned(), notes: [note("driver_arriving", 300)], latest });
  await t.watchAs("v1");
  const [snapshot] = t.frames("v1", "snapshot");
  assert.deepEqual(snapshot && { ...snapshot, eta: snapshot.eta?.target }, {
    type: "snapshot",
    orderId: "o1",
    order: assigned(),
    location: {
      ...{ driverId: "d1", lat: 12.89, lon: 77.6, ts: NOW - 2000, seq: 7 },
      ...{ ageMs: 2000, stale: false }, // received 2 s before the actor's clock reads NOW
    },
    eta: "pickup",
    notifications: [note("driver_arriving", 300)],
  });
  await t.tell({ type: "location", record: fix(NOW - 1000, { seq: 8, lat: 12.891 }) });
  assert.deepEqual(t.frames("v1").map((f) => f.type), ["snapshot", "location"]);
  assert.deepEqual(t.frames("v1", "location"), [
    {
      type: "location",
      orderId: "o1",
      driverId: "d1",
      lat: 12.891,
      lon: 77.6,
      ts: NOW - 1000,
      seq: 8,
      ageMs: 1000,
      stale: false,
    },
  ]);
  await t.system.shutdown();
});

Deno.test("OrderActor never sends a fix that is not newer than the last one sent", async () => {
  const t = setup({ stored: assigned() });
  await t.watchAs("v1");
  for (const ts of [NOW + 200, NOW + 100, NOW + 200, NOW + 300]) {
    await t.tell({ type: "location", record: fix(ts) });
  }
  assert.deepEqual(t.frames("v1", "location").map((f) => f.ts), [NOW + 200, NOW + 300]);
  await t.system.shutdown();
});

Deno.test("OrderActor ignores the location of a driver other than the order's", async () => {
  const t = setup({ stored: assigned() });
  await t.watchAs("v1");
  await t.tell({ type: "location", record: fix(NOW + 100, { driverId: "d2" }) });
  assert.deepEqual(t.frames("v1").map((f) => f.type), ["snapshot"]);
  assert.equal(t.watch.ordersOf("d2"), undefined);
  await t.system.shutdown();
});

Deno.test("OrderActor sends an ETA on the first fix, again only when it changes enough, and switches to the drop-off after pickup", async () => {
  const t = setup({ stored: assigned() });
  await t.watchAs("v1");
  // At 10 m/s: 300 s, then 280 s (less than max(15 s, 10 %): not sent), then 260 s.
  for (const [meters, ts] of [[3000, 1], [2800, 2], [2600, 3]] as const) {
    await t.tell({ type: "location", record: southOf(PICKUP, meters, NOW + ts) });
  }
  await t.command({ type: "picked_up", driverId: "d1" });
  await t.tell({ type: "location", record: fix(NOW + 4, PICKUP) });
  await t.system.settled();
  assert.deepEqual(t.frames("v1", "eta").map((f) => [f.target, f.seconds]), [
    ["pickup", 300],
    ["pickup", 260],
    ["dropoff", 1112],
  ]);
  assert.deepEqual(t.eta.targets, [PICKUP, PICKUP, PICKUP, DROPOFF]);
  assert.deepEqual(t.frames("v1").map((f) => f.type), [
    "snapshot",
    ...["location", "eta", "location", "location", "eta"],
    ...["status", "location", "eta"],
  ]);
  await t.system.shutdown();
});

Deno.test("OrderActor sends a notification to viewers once, even when it arrives twice", async () => {
  const loaded = note("driver_near", 500);
  const t = setup({ stored: order({ status: "picked_up", driverId: "d1" }), notes: [loaded] });
  await t.watchAs("v1");
  const fresh = note("driver_near", 100);
  await t.tell(
    { type: "event", event: { type: "notification", notification: fresh } },
    { type: "event", event: { type: "notification", notification: fresh } },
    { type: "event", event: { type: "notification", notification: loaded } },
  );
  assert.deepEqual(t.frames("v1", "notification"), [{ type: "notification", ...fresh }]);
  await t.system.shutdown();
});

Deno.test("OrderActor turns a newer order event from another instance into one status frame, and a stale or repeated one into none", async () => {
  const t = setup({ stored: assigned() });
  await t.watchAs("v1");
  const pickedUp = assigned({ status: "picked_up", updatedAt: NOW + 10 });
  await t.tell(
    { type: "event", event: { type: "order", order: pickedUp } },
    { type: "event", event: { type: "order", order: pickedUp } },
    { type: "event", event: { type: "order", order: assigned({ updatedAt: NOW + 20 }) } },
  );
  assert.deepEqual(t.frames("v1", "status"), [
    { type: "status", orderId: "o1", status: "picked_up", driverId: "d1", at: NOW + 10 },
  ]);
  // The adopted state is the one commands are planned from.
  await t.command({ type: "delivered", driverId: "d1" });
  // (This fake store never saw the pickup, so the UPDATE finds nothing and is tried once more.)
  assert.deepEqual(t.store.transitions[0]?.change.from, ["picked_up"]);
  await t.system.shutdown();
});

Deno.test("OrderActor on delivery closes customer viewers with 1000 and leaves restaurant viewers open", async () => {
  const t = setup({ stored: order({ status: "picked_up", driverId: "d1" }) });
  await t.watchAs("customer", true);
  await t.watchAs("restaurant", false);
  await t.command({ type: "delivered", driverId: "d1" });
  await t.system.settled();
  for (const viewer of ["customer", "restaurant"]) {
    assert.deepEqual(t.frames(viewer, "status").map((f) => f.status), ["delivered"], viewer);
  }
  assert.deepEqual(t.got("customer").at(-1), { type: "close", code: 1000, reason: "delivered" });
  assert.equal(t.got("restaurant").some((m) => m.type === "close"), false);
  assert.equal(t.watch.ordersOf("d1"), undefined);
  assert.deepEqual([...t.watch.partitions()], []);
  // A customer arriving afterwards gets the final snapshot and the same close.
  await t.watchAs("late", true);
  assert.deepEqual(t.got("late").map((m) => m.type === "frame" ? m.frame.type : m.code), [
    "snapshot",
    1000,
  ]);
  await t.system.shutdown();
});

Deno.test("OrderActor conflates positions queued while it is busy to the newest per driver", async () => {
  const t = setup({ stored: assigned() });
  await t.watchAs("v1");
  // Told synchronously: the actor has not run yet, so each replaces the one queued before it.
  for (const ts of [NOW + 100, NOW + 200, NOW + 300]) {
    t.actor.tell({ type: "location", record: fix(ts) });
  }
  t.actor.tell({
    type: "event",
    event: { type: "notification", notification: note("driver_arriving", 300) },
  });
  await t.system.settled();
  assert.deepEqual(t.frames("v1", "location").map((f) => f.ts), [NOW + 300]);
  assert.deepEqual(t.frames("v1").map((f) => f.type), [
    "snapshot",
    "location",
    "eta",
    "notification",
  ]);
  assert.equal(t.system.metrics().find((m) => m.kind === "order")?.dropped, 2);
  await t.system.shutdown();
});

Deno.test("OrderActor puts its pickup, drop-off and driver partitions in the watch index and leaves it with its last viewer", async () => {
  const t = setup({ stored: assigned() });
  await t.watchAs("v1");
  assert.deepEqual(t.watch.ordersOf("d1"), new Set(["o1"]));
  assert.deepEqual(t.partitionSets.at(-1), [0, 1]);
  // The driver shows up outside both regions: the catch-all partition is read too.
  await t.tell({ type: "location", record: fix(NOW + 100, { lat: 12.8 }) });
  assert.deepEqual(t.partitionSets.at(-1), [0, 1, 2]);
  await t.watchAs("v2");
  await t.tell({ type: "unwatch", viewerId: "v1" });
  assert.deepEqual(t.watch.ordersOf("d1"), new Set(["o1"]));
  await t.tell({ type: "unwatch", viewerId: "v2" });
  assert.equal(t.watch.ordersOf("d1"), undefined);
  assert.deepEqual(t.partitionSets.at(-1), []);
  await t.system.shutdown();
});

Deno.test("OrderActor with no viewers stops after lingerMs, and not while a viewer is connected", async () => {
  const t = setup({ stored: assigned(), lingerMs: 60_000 });
  await t.watchAs("v1");
  t.clock.advance(120_000);
  await t.system.settled();
  assert.equal(t.system.has(ORDER, "o1"), true, "a viewer keeps the actor");
  await t.tell({ type: "unwatch", viewerId: "v1" });
  t.clock.advance(59_999);
  await t.system.settled();
  assert.equal(t.system.has(ORDER, "o1"), true);
  t.clock.advance(1);
  await t.system.settled();
  assert.equal(t.system.has(ORDER, "o1"), false);
  await t.system.shutdown();
});

Deno.test({
  name:
    "OrderActor gives a restaurant viewer of a finished order its snapshot and does not follow it",
  fn: async () => {
    const t = setup({ stored: order({ status: "delivered", driverId: "d1" }), lingerMs: 60_000 });
    await t.watchAs("restaurant", false);
    assert.deepEqual(t.frames("restaurant").map((f) => f.type), ["snapshot"]);
    assert.equal(t.watch.ordersOf("d1"), undefined);
    t.clock.advance(60_000);
    await t.system.settled();
    assert.equal(t.system.has(ORDER, "o1"), false);
    await t.system.shutdown();
  },
});

Deno.test("OrderActor sends a snapshot to each of 2,000 viewers that subscribe at once, dropping none", async () => {
  const t = setup({ stored: assigned() });
  // Told synchronously: all 2,000 are queued before the actor has even read its order,
  // twice the mailbox capacity.
  const ids = Array.from({ length: 2_000 }, (_, i) => `v${i}`);
  for (const viewerId of ids) t.actor.tell({ type: "watch", viewerId, closeOnFinish: true });
  await t.system.settled();
  const served = ids.filter((id) => t.frames(id, "snapshot").length === 1);
  assert.equal(served.length, 2_000);
  assert.equal(t.system.metrics().find((m) => m.kind === "order")?.dropped, 0);
  // And each is followed: a fix reaches all of them.
  await t.tell({ type: "location", record: fix(NOW + 100) });
  assert.equal(ids.filter((id) => t.frames(id, "location").length === 1).length, 2_000);
  await t.system.shutdown();
});

Deno.test("OrderActor for an unknown order refuses with order_not_found after one read and leaves no actor behind", async () => {
  const t = setup();
  const ids = Array.from({ length: 729 }, () => crypto.randomUUID());
  const outcomes = await Promise.all(
    ids.map((id) =>
      t.system.ref(ORDER, id).ask<OrderOutcome>((replyTo) => ({
        type: "command",
        command: { type: "picked_up", driverId: "d1" },
        replyTo,
      }))
    ),
  );
  assert.deepEqual(new Set(outcomes.map((o) => o.ok || o.code)), new Set(["order_not_found"]));
  await t.system.settled();
  assert.equal(t.store.gets, 729, "one read per unknown id");
  assert.equal(t.system.count(ORDER), 0);
  assert.equal(ids.some((id) => t.system.has(ORDER, id)), false);
  const metrics = t.system.metrics().find((m) => m.kind === "order")!;
  assert.deepEqual([metrics.live, metrics.activations, metrics.dropped], [0, 729, 0]);
  assert.equal(t.clock.pending(), 0, "no linger timer left behind");
  await t.system.shutdown();
});

Deno.test("OrderActor for an unknown order answers every queued command and closes every viewer with 4004, then stops", async () => {
  const t = setup();
  const asks = [1, 2, 3].map(() => t.command({ type: "delivered", driverId: "d1" }));
  t.actor.tell({ type: "watch", viewerId: "v1", closeOnFinish: true });
  const outcomes = await Promise.all(asks);
  assert.deepEqual(outcomes.map((o) => o.ok || o.code), Array(3).fill("order_not_found"));
  await t.system.settled();
  assert.deepEqual(t.got("v1"), [{ type: "close", code: 4004, reason: "no such order" }]);
  assert.equal(t.system.has(ORDER, "o1"), false);
  assert.deepEqual(t.watch.partitions().size, 0);
  await t.system.shutdown();
});

Deno.test("OrderActor that never had a viewer stops once it has answered a create, a command or an event; one that had a viewer lingers", async () => {
  const t = setup({ lingerMs: 60_000 });
  await t.actor.ask<OrderOutcome>((replyTo) => ({ type: "create", input: INPUT, replyTo }));
  await t.system.settled();
  assert.equal(t.system.has(ORDER, "o1"), false, "a creation leaves no live actor behind");
  const assignedNow = await t.command({ type: "assign", driverId: "d1" });
  assert.equal(assignedNow.ok && assignedNow.order.status, "assigned", "read again from the store");
  await t.system.settled();
  assert.equal(t.system.has(ORDER, "o1"), false, "nor does a command");
  await t.tell({ type: "event", event: { type: "order", order: order({ status: "assigned" }) } });
  assert.equal(t.system.has(ORDER, "o1"), false, "nor its own order event");
  await t.watchAs("w1");
  await t.command({ type: "picked_up", driverId: "d1" });
  await t.system.settled();
  assert.equal(t.system.has(ORDER, "o1"), true, "a viewer keeps the actor through a command");
  await t.tell({ type: "unwatch", viewerId: "w1" });
  // o2 is unknown when its actor starts, and its creation event (from another instance) is
  // queued behind the watch that started it.
  const o2 = t.system.ref(ORDER, "o2");
  o2.tell({ type: "watch", viewerId: "v1", closeOnFinish: true });
  o2.tell({ type: "event", event: { type: "order", order: order({ id: "o2" }) } });
  await t.system.settled();
  assert.deepEqual(t.got("v1").map((m) => m.type === "close" && m.code), [4004]);
  assert.equal(t.system.has(ORDER, "o2"), true, "the order exists now: the actor stays");
  t.clock.advance(60_000);
  await t.system.settled();
  assert.equal(t.system.count(ORDER), 0, "both linger, then stop");
  await t.system.shutdown();
});
