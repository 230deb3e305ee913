import assert from "node:assert/strict";
import { ActorSystem, VirtualClock } from "./runtime/mod.ts";
import { ORDER, type OrderActorDeps, orderActorKind, type OrderMessage } from "./order_actor.ts";
import type { Order } from "../domain/order.ts";
import type { ViewerFrame } from "./order_protocol.ts";
import { VIEWER, type ViewerMessage } from "./viewer_actor.ts";
import { LIVE_ROUTER } from "./live_router.ts";
import type { LocationRecord } from "../domain/location_record.ts";
import { RegionMap } from "../domain/region_map.ts";

const NOW = 1_732_400_000_000;
const STALE_AFTER_MS = 30_000;
const PICKUP = { lat: 12.9, lon: 77.6 };
const ORDER_O1: Order = {
  id: "o1",
  restaurantId: "r1",
  customerId: "c1",
  pickup: PICKUP,
  dropoff: { lat: 13.0, lon: 77.6 },
  driverId: "d1",
  status: "assigned",
  createdAt: NOW,
  updatedAt: NOW,
};

/** A fix 1 km south of the pickup, received by the service at `receivedAt`, sent at `ts`. */
function fix(receivedAt: number, ts = receivedAt): LocationRecord {
  return { driverId: "d1", seq: ts, ts, lat: 12.891, lon: 77.6, region: "r", receivedAt };
}

/** One order actor on a virtual clock; viewers are recorded, the router is a sink. */
function setup(latest?: LocationRecord) {
  const clock = new VirtualClock(NOW);
  const system = new ActorSystem({ clock });
  const received = new Map<string, ViewerFrame[]>();
  system.register(VIEWER, {
    create: (id) => ({
      receive: (m: ViewerMessage) => {
        if (m.type === "frame") received.set(id, [...received.get(id) ?? [], m.frame]);
      },
    }),
  });
  system.register(LIVE_ROUTER, { create: () => ({ receive: () => {} }) });
  const store: OrderActorDeps["store"] = {
    get: (id) => Promise.resolve(id === "o1" ? ORDER_O1 : undefined),
    create: () => Promise.reject(new Error("not used")),
    transition: () => Promise.resolve(undefined),
    notifications: () => Promise.resolve([]),
  };
  system.register(
    ORDER,
    orderActorKind({
      store,
      events: { publish: () => Promise.resolve(), close: () => Promise.resolve() },
      router: system.ref(LIVE_ROUTER, "live"),
      viewers: system.refs(VIEWER),
      regions: new RegionMap({
        catchAll: { name: "other", partition: 1 },
        regions: [{ name: "south", partition: 0, bbox: [77.45, 12.85, 77.75, 12.97] }],
      }),
      // 10 m/s in a straight line.
      eta: { estimate: () => ({ seconds: 100, distanceMeters: 1000 }) },
      latestPosition: () => Promise.resolve(latest),
      staleAfterMs: STALE_AFTER_MS,
    }),
  );
  const actor = system.ref(ORDER, "o1");
  const tell = async (...messages: OrderMessage[]) => {
    for (const m of messages) actor.tell(m);
    await system.settled();
  };
  const advance = async (ms: number) => {
    clock.advance(ms);
    await system.settled();
  };
  const frames = (viewerId: string) => received.get(viewerId) ?? [];
  const types = (viewerId: string) => frames(viewerId).map((f) => f.type);
  return { clock, system, tell, advance, frames, types };
}

Deno.test("OrderActor sends a stale frame STALE_AFTER_MS after the last fix was received, once, and the next fix clears it", async () => {
  const t = setup();
  await t.tell({ type: "watch", viewerId: "v1", closeOnFinish: true });
  await t.tell({ type: "location", record: fix(NOW - 2_000, NOW - 2_000 - 3_600_000) });
  const [location] = t.frames("v1").filter((f) => f.type === "location");
  assert.deepEqual(
    location && { ageMs: location.ageMs, stale: location.stale },
    { ageMs: 2_000, stale: false },
    "the age counts from the server's receipt, not the phone's fix time (an hour off here)",
  );
  assert.deepEqual(t.types("v1"), ["snapshot", "location", "eta"]);
  await t.advance(27_999);
  assert.deepEqual(t.types("v1"), ["snapshot", "location", "eta"], "28 s old: not yet");
  await t.advance(1);
  assert.deepEqual(t.frames("v1").at(-1), {
    type: "stale",
    orderId: "o1",
    driverId: "d1",
    stale: true,
    ageMs: STALE_AFTER_MS,
    ts: NOW - 2_000 - 3_600_000,
  });
  await t.advance(5 * 60_000);
  assert.equal(t.types("v1").filter((x) => x === "stale").length, 1, "one frame per lapse");

  // The driver reports again: fresh, and the ETA counts again (sent although it did not change).
  await t.tell({ type: "location", record: fix(t.clock.now() - 100) });
  const [again, eta] = t.frames("v1").slice(-2);
  assert.equal(again?.type === "location" && again.stale, false);
  assert.equal(again?.type === "location" && again.ageMs, 100);
  assert.equal(eta?.type, "eta", "a fresh fix restarts the ETA");
  await t.advance(STALE_AFTER_MS - 100);
  assert.equal(t.frames("v1").at(-1)?.type, "stale", "and it can lapse again");
  await t.system.shutdown();
});

Deno.test("OrderActor sends no ETA while the position is stale: an old fix, and a snapshot, claim no arrival", async () => {
  const t = setup();
  await t.tell({ type: "watch", viewerId: "v1", closeOnFinish: true });
  await t.tell({ type: "location", record: fix(NOW) });
  await t.advance(STALE_AFTER_MS + 10_000);
  const before = t.frames("v1").length;
  // A newer fix that is itself older than the threshold: received at NOW + 5 s, delivered late.
  await t.tell({ type: "location", record: fix(NOW + 5_000) });
  const after = t.frames("v1").slice(before);
  assert.deepEqual(after.map((f) => f.type), ["location"], "a position, no ETA");
  assert.equal(after[0]?.type === "location" && after[0].stale, true);

  await t.tell({ type: "watch", viewerId: "v2", closeOnFinish: true });
  const [snapshot] = t.frames("v2");
  assert.equal(snapshot?.type, "snapshot");
  if (snapshot?.type !== "snapshot") return;
  assert.equal(snapshot.eta, null, "no ETA in the snapshot while stale");
  assert.equal(snapshot.location?.stale, true);
  assert.equal(snapshot.location?.ageMs, STALE_AFTER_MS + 5_000);
  await t.system.shutdown();
});

Deno.test("OrderActor tells a newcomer a driver went quiet while no one watched, and runs no stale timer without viewers", async () => {
  const t = setup(fix(NOW - 45_000));
  await t.tell({ type: "watch", viewerId: "v1", closeOnFinish: true });
  const [snapshot] = t.frames("v1");
  assert.ok(snapshot?.type === "snapshot");
  assert.deepEqual(
    snapshot.location && [snapshot.location.stale, snapshot.location.ageMs, snapshot.eta],
    [true, 45_000, null],
  );
  await t.tell({ type: "location", record: fix(t.clock.now()) });
  await t.tell({ type: "unwatch", viewerId: "v1" });
  const pending = t.clock.pending();
  await t.advance(STALE_AFTER_MS * 3);
  assert.equal(t.frames("v1").filter((f) => f.type === "stale").length, 0);
  assert.ok(pending <= 1, `only the linger timer may wait, ${pending} pending`);
  // Back with a viewer after 90 s: the snapshot says stale.
  await t.tell({ type: "watch", viewerId: "v3", closeOnFinish: true });
  const [back] = t.frames("v3");
  assert.ok(back?.type === "snapshot");
  assert.deepEqual(back.location && [back.location.stale, back.location.ageMs, back.eta], [
    true,
    STALE_AFTER_MS * 3,
    null,
  ]);
  await t.system.shutdown();
});
