import assert from "node:assert/strict";
import { ActorSystem, VirtualClock } from "./runtime/mod.ts";
import {
  NOTIFIER,
  type NotifierActorDeps,
  notifierActorKind,
  type NotifierThresholds,
} from "./notifier_actor.ts";
import type { Order } from "../domain/order.ts";
import { notificationId, type OrderNotification } from "../domain/order_notification.ts";
import type { ConsumedLocation } from "../domain/consumed_location.ts";
import type { OrderEvent } from "../domain/order_event.ts";
import type { OrderEventPublisher } from "../domain/order_event_publisher.ts";
import type { RecordedNotification } from "../domain/order_store.ts";
import { OrderlessDrivers } from "./orderless_drivers.ts";

const NOW = 1_732_400_000_000;
const METERS_PER_DEGREE = 111_195.08; // along a meridian, for haversineMeters' radius
const PICKUP = { lat: 12.9, lon: 77.6 };
const DROPOFF = { lat: 13.0, lon: 77.6 };
const THRESHOLDS: NotifierThresholds = {
  nearMeters: [500, 100],
  arrivingMeters: 300,
  hysteresisMeters: 30,
};

function order(fields: Partial<Order> = {}): Order {
  return {
    id: "o1",
    restaurantId: "r1",
    customerId: "c1",
    driverId: "d1",
    pickup: PICKUP,
    dropoff: DROPOFF,
    status: "picked_up",
    createdAt: NOW,
    updatedAt: NOW,
    ...fields,
  };
}

type Store = NotifierActorDeps["store"];
type Recorded = Parameters<Store["recordNotification"]>[0];

/** Notifications in memory, unique by id like the table; failures on demand. */
class FakeStore implements Store {
  active: Order[] = [];
  /** The drivers of every `activeForDrivers` call. */
  asked: string[][] = [];
  /** Runs while a call is being answered (an order changing meanwhile). */
  whileAsked: (() => void) | undefined;
  rows = new Map<string, { notification: OrderNotification; published: boolean }>();
  /** Every call, failed ones included. */
  recordCalls: Recorded[] = [];
  marked: string[] = [];
  recordFailures = 0;

  activeForDrivers(driverIds: readonly string[]): Promise<Order[]> {
    this.asked.push([...driverIds]);
    this.whileAsked?.();
    return Promise.resolve(this.active.filter((o) => driverIds.includes(o.driverId ?? "")));
  }
  recordNotification(n: Recorded, now: number): Promise<RecordedNotification> {
    this.recordCalls.push(n);
    if (this.recordFailures > 0) {
      this.recordFailures--;
      return Promise.reject(new Error("database down"));
    }
    const id = notificationId(n.orderId, n.kind, n.thresholdMeters);
    const row = this.rows.get(id);
    if (row) return Promise.resolve({ ...row, created: false });
    const notification = { ...n, id, createdAt: now };
    this.rows.set(id, { notification, published: false });
    return Promise.resolve({ notification, created: true, published: false });
  }
  markPublished(id: string): Promise<void> {
    this.marked.push(id);
    const row = this.rows.get(id);
    if (row) row.published = true;
    return Promise.resolve();
  }
  /** A row stored before, by another instance or before a crash. */
  seed(kind: "driver_near" | "driver_arriving", meters: number, published: boolean): string {
    const id = notificationId("o1", kind, meters);
    const notification: OrderNotification = {
      id,
      orderId: "o1",
      kind,
      thresholdMeters: meters,
      distanceMeters: meters - 10,
      driverId: "d1",
      ts: NOW - 60_000,
      createdAt: NOW - 60_000,
    };
    this.rows.set(id, { notification, published });
    return id;
  }
}

class FakePublisher implements OrderEventPublisher {
  events: OrderEvent[] = [];
  failures = 0;
  publish(event: OrderEvent): Promise<void> {
    if (this.failures > 0) {
      this.failures--;
      return Promise.reject(new Error("broker down"));
    }
    this.events.push(event);
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

async function ticks() {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
}

function setup(orderless?: OrderlessDrivers) {
  const clock = new VirtualClock(NOW);
  const system = new ActorSystem({ clock });
  const store = new FakeStore();
  const events = new FakePublisher();
  const errors: unknown[] = [];
  system.register(
    NOTIFIER,
    notifierActorKind({
      store,
      events,
      thresholds: THRESHOLDS,
      onError: (e) => errors.push(e),
      ...(orderless && { orderless }),
    }),
  );
  const notifier = system.ref(NOTIFIER, "0");
  const commits: bigint[] = [];
  const failCommits = { left: 0 };
  let nextOffset = 0n;
  let replies = 0;
  /** Sends one batch of fixes of `driverId`, `meters` due south of `target`, one second apart. */
  const offer = (meters: number[], target = DROPOFF, driverId = "d1") => {
    const records: ConsumedLocation[] = meters.map((m) => {
      const offset = nextOffset++;
      const ts = NOW + Number(offset) * 1000;
      const lat = target.lat - m / METERS_PER_DEGREE;
      return {
        record: { driverId, seq: ts, ts, lat, lon: target.lon, region: "r", receivedAt: ts },
        topic: "t",
        partition: 0,
        offset,
        commit: () => {
          if (failCommits.left > 0 && failCommits.left--) {
            return Promise.reject(new Error("the consumer is gone"));
          }
          commits.push(offset);
          return Promise.resolve();
        },
      };
    });
    const reply = notifier.ask<void>(
      (replyTo) => ({ type: "records", records, replyTo }),
      { timeoutMs: Infinity },
    );
    return reply.then(() => void replies++);
  };
  const published = () =>
    events.events.map((e) =>
      e.type === "notification"
        ? `${e.notification.kind}:${e.notification.thresholdMeters}`
        : e.type
    );
  return {
    clock,
    system,
    store,
    events,
    errors,
    commits,
    failCommits,
    offer,
    published,
    replies: () => replies,
  };
}

Deno.test("NotifierActor fires each threshold once for a track that jitters around it", async () => {
  const t = setup();
  t.store.active = [order()];
  await t.offer([2000, 505, 495, 505, 495, 300]);
  await t.offer([105, 95, 105, 95, 40]);
  assert.deepEqual(
    t.store.recordCalls.map((n) => [n.kind, n.thresholdMeters, n.distanceMeters, n.ts]),
    [["driver_near", 500, 495, NOW + 2000], ["driver_near", 100, 95, NOW + 7000]],
  );
  assert.deepEqual(t.published(), ["driver_near:500", "driver_near:100"]);
  assert.deepEqual(t.store.marked, ["o1:driver_near:500", "o1:driver_near:100"]);
  assert.deepEqual(t.commits, [5n, 10n]);
  await t.system.shutdown();
});

Deno.test("NotifierActor fires driver_arriving for an assigned order at the pickup and never driver_near", async () => {
  const t = setup();
  // The drop-off is 50 m from the pickup: an approach to the pickup passes every near threshold.
  const dropoff = { lat: PICKUP.lat + 50 / METERS_PER_DEGREE, lon: PICKUP.lon };
  t.store.active = [order({ status: "assigned", dropoff })];
  await t.offer([1000, 310, 290, 310, 200, 60, 0], PICKUP);
  assert.deepEqual(
    t.store.recordCalls.map((n) => [n.kind, n.thresholdMeters, n.distanceMeters]),
    [["driver_arriving", 300, 290]],
  );
  assert.deepEqual(t.published(), ["driver_arriving:300"]);
  await t.system.shutdown();
});

Deno.test("NotifierActor fires nothing for an order that is not active, and still commits", async () => {
  const t = setup();
  t.store.active = [
    order({ id: "o2", driverId: "d2", status: "delivered" }),
    order({ id: "o3", driverId: "d3", status: "created" }),
  ];
  await t.offer([400, 50], DROPOFF, "d1"); // no order at all
  await t.offer([400, 50], DROPOFF, "d2");
  await t.offer([400, 50], PICKUP, "d3");
  assert.deepEqual(t.store.recordCalls, []);
  assert.deepEqual(t.events.events, []);
  assert.deepEqual(t.commits, [1n, 3n, 5n]);
  await t.system.shutdown();
});

Deno.test("NotifierActor retries a failed recordNotification with backoff, fires once and commits only after", async () => {
  const t = setup();
  t.store.active = [order()];
  t.store.recordFailures = 2;
  void t.offer([2000, 600, 450]);
  await ticks();
  assert.equal(t.errors.length, 1);
  t.clock.advance(99);
  await ticks();
  assert.equal(t.store.recordCalls.length, 1, "no retry before 100 ms");
  t.clock.advance(1);
  await ticks();
  assert.equal(t.errors.length, 2);
  t.clock.advance(199);
  await ticks();
  assert.equal(t.store.recordCalls.length, 2, "the second retry waits 200 ms");
  assert.deepEqual(t.commits, []);
  assert.equal(t.replies(), 0);
  t.clock.advance(1);
  await ticks();
  assert.equal(t.store.rows.size, 1);
  assert.deepEqual(t.published(), ["driver_near:500"]);
  assert.deepEqual(t.store.marked, ["o1:driver_near:500"]);
  assert.deepEqual(t.store.recordCalls.at(-1)?.distanceMeters, 450);
  assert.deepEqual(t.commits, [2n]);
  assert.equal(t.replies(), 1);
  await t.system.shutdown();
});

Deno.test("NotifierActor retries a failed publish with backoff and publishes the stored notification once", async () => {
  const t = setup();
  t.store.active = [order()];
  t.events.failures = 1;
  void t.offer([2000, 600, 450]);
  await ticks();
  assert.equal(t.errors.length, 1);
  assert.equal(t.store.rows.get("o1:driver_near:500")?.published, false);
  assert.deepEqual(t.commits, []);
  t.clock.advance(100);
  await ticks();
  assert.deepEqual(t.published(), ["driver_near:500"]);
  assert.deepEqual(t.store.marked, ["o1:driver_near:500"]);
  assert.equal(t.store.rows.size, 1);
  assert.deepEqual(t.commits, [2n]);
  assert.equal(t.replies(), 1);
  await t.system.shutdown();
});

Deno.test("NotifierActor does not publish again a notification already stored and published", async () => {
  const t = setup();
  t.store.active = [order()];
  t.store.seed("driver_near", 500, true);
  await t.offer([600, 450, 420]);
  assert.equal(t.store.recordCalls.length, 1, "asked once, then remembered as fired");
  assert.deepEqual(t.events.events, []);
  assert.deepEqual(t.store.marked, []);
  assert.deepEqual(t.commits, [2n]);
  await t.system.shutdown();
});

Deno.test("NotifierActor publishes a notification stored but not published before a crash", async () => {
  const t = setup();
  t.store.active = [order()];
  const id = t.store.seed("driver_near", 500, false);
  await t.offer([600, 450]);
  assert.equal(t.events.events.length, 1);
  const [event] = t.events.events;
  assert.equal(event?.type === "notification" && event.notification.ts, NOW - 60_000);
  assert.deepEqual(t.store.marked, [id]);
  await t.system.shutdown();
});

Deno.test({
  name: "NotifierActor stores a retried notification with the fix that crossed the threshold",
  fn: async () => {
    const t = setup();
    t.store.active = [order()];
    t.store.recordFailures = 1;
    void t.offer([505, 495]);
    await ticks();
    t.clock.advance(100);
    await ticks();
    const stored = t.store.rows.get("o1:driver_near:500")?.notification;
    assert.deepEqual([stored?.distanceMeters, stored?.ts], [495, NOW + 1000]);
    await t.system.shutdown();
  },
});

Deno.test("NotifierActor does not hold the partition on a commit that fails: it answers, and the next batch flows", async () => {
  const t = setup();
  t.store.active = [order()];
  t.failCommits.left = 1;
  await t.offer([2000, 495]);
  assert.equal(t.replies(), 1, "answered although its commit failed");
  assert.deepEqual(t.published(), ["driver_near:500"]);
  await t.offer([400]);
  assert.deepEqual(t.commits, [2n]);
  assert.equal(t.errors.length, 1);
  await t.system.shutdown();
});

Deno.test("NotifierActor gives up a batch waiting for its retry once stopping aborts, without committing", async () => {
  const clock = new VirtualClock(NOW);
  const system = new ActorSystem({ clock, onError: () => {} });
  const store = new FakeStore();
  store.active = [order()];
  store.recordFailures = Infinity;
  const stopping = new AbortController();
  system.register(
    NOTIFIER,
    notifierActorKind({
      store,
      events: new FakePublisher(),
      thresholds: THRESHOLDS,
      stopping: stopping.signal,
    }),
  );
  let committed = false;
  const lat = DROPOFF.lat - 400 / METERS_PER_DEGREE;
  const record = {
    driverId: "d1",
    seq: NOW,
    ts: NOW,
    lat,
    lon: DROPOFF.lon,
    region: "r",
    receivedAt: NOW,
  };
  const commit = () => Promise.resolve(void (committed = true));
  const reply = system.ref(NOTIFIER, "0").ask<void>(
    (replyTo) => ({
      type: "records",
      records: [{ record, topic: "t", partition: 0, offset: 0n, commit }],
      replyTo,
    }),
    { timeoutMs: Infinity },
  );
  await ticks();
  assert.equal(store.recordCalls.length, 1);
  stopping.abort();
  await assert.rejects(reply, /database down/);
  assert.equal(committed, false);
  assert.equal(store.recordCalls.length, 1, "not tried again after the abort");
  await system.shutdown();
});

Deno.test("NotifierActor does not ask again about a driver found without an order until it is forgotten", async () => {
  const orderless = new OrderlessDrivers({ now: () => NOW });
  const t = setup(orderless);
  await t.offer([2000, 1900]);
  await t.offer([1800]);
  await t.offer([1700], DROPOFF, "d2");
  assert.deepEqual(t.store.asked, [["d1"], ["d2"]]);
  assert.deepEqual(t.commits, [1n, 2n, 3n]);
  // d1's order is picked up (the order-events tailer forgets d1): the next fix is judged with it.
  t.store.active = [order()];
  orderless.forget("d1");
  await t.offer([450]);
  assert.deepEqual(t.store.asked, [["d1"], ["d2"], ["d1"]]);
  assert.deepEqual(t.published(), ["driver_near:500"]);
  // A driver with an active order is asked about every batch.
  await t.offer([90]);
  assert.deepEqual(t.store.asked.at(-1), ["d1"]);
  assert.deepEqual(t.published(), ["driver_near:500", "driver_near:100"]);
  await t.system.shutdown();
});

Deno.test("NotifierActor keeps no 'no order' answer when an order changed while it was asked", async () => {
  const orderless = new OrderlessDrivers({ now: () => NOW });
  const t = setup(orderless);
  t.store.whileAsked = () => orderless.forget("d1");
  await t.offer([2000]);
  t.store.whileAsked = undefined;
  assert.equal(orderless.has("d1"), false);
  t.store.active = [order()];
  await t.offer([450]);
  assert.deepEqual(t.store.asked, [["d1"], ["d1"]]);
  assert.deepEqual(t.published(), ["driver_near:500"]);
  await t.system.shutdown();
});
