import assert from "node:assert/strict";
import { testSystem } from "./runtime/_testing.ts";
import {
  FLEET_FEED,
  FLEET_FEED_ID,
  type FleetFeedActorDeps,
  fleetFeedActorKind,
  type FleetOrder,
} from "./fleet_feed_actor.ts";
import type { FleetFix } from "./fleet_index.ts";
import { type FleetFrame, fleetFrameSchema } from "./fleet_viewer.ts";
import type { NearbyDriver, NearbyQuery } from "./nearby_search.ts";

const START = 1_000_000;
const UPDATE_MS = 1_000;
const GONE_MS = 10_000;
const VIEW = [77.5, 12.9, 77.7, 13.1] as const;
const AT: NearbyQuery = { lat: 13, lon: 77.6, radiusM: 5_000, limit: 10, state: "any" };

function fix(driverId: string, ts: number, lat = 13): FleetFix {
  return { driverId, lat, lon: 77.6, ts };
}

/** A fake fleet socket that records what it is sent. */
class Socket {
  frames: FleetFrame[] = [];
  closed: [number, string][] = [];
  buffered = 0;
  connection = {
    send: (frame: FleetFrame) => (fleetFrameSchema.parse(frame), this.frames.push(frame), true),
    buffered: () => this.buffered,
    close: (code: number, reason: string) => void this.closed.push([code, reason]),
  };
  /** Frames of `type` received so far, and forgets every frame. */
  take(type: FleetFrame["type"]): FleetFrame[] {
    const out = this.frames.filter((f) => f.type === type);
    this.frames = [];
    return out;
  }
}

function setup(over: Partial<FleetFeedActorDeps> = {}) {
  const { system, clock, errors } = testSystem();
  clock.advance(START);
  const counts: number[] = [];
  const deps: FleetFeedActorDeps = {
    updateMs: UPDATE_MS,
    goneMs: GONE_MS,
    maxPoints: 10,
    maxBufferedBytes: 1_000,
    nearbyMaxAgeMs: 60_000,
    partitions: [0, 1],
    activeOrders: () => (counts.push(clock.now()), Promise.resolve(counts.length)),
    activeDriverOrders: () => Promise.resolve([]),
    ...over,
  };
  system.register(FLEET_FEED, fleetFeedActorKind(deps));
  const ref = system.ref(FLEET_FEED, FLEET_FEED_ID);
  const settle = async () => {
    for (let i = 0; i < 3; i++) {
      await system.settled();
      await new Promise((r) => setTimeout(r, 0));
    }
  };
  const advance = async (ms: number) => {
    clock.advance(ms);
    await settle();
  };
  const fixes = (list: FleetFix[]) =>
    ref.ask<number>((replyTo) => ({ type: "fixes", fixes: list, replyTo }));
  const nearby = (query: Partial<NearbyQuery> = {}) =>
    ref.ask<NearbyDriver[]>((replyTo) => ({ type: "nearby", query: { ...AT, ...query }, replyTo }));
  const open = async (id: string) => {
    const socket = new Socket();
    ref.tell({ type: "add", id, connection: socket.connection });
    ref.tell({ type: "viewport", id, bbox: VIEW });
    await settle();
    return socket;
  };
  return { system, clock, errors, ref, counts, settle, advance, fixes, nearby, open };
}

function driversIn(frames: FleetFrame[]): string[] {
  return frames.flatMap((f) =>
    f.type === "positions" ? f.drivers.map((d) => `${d.driverId}@${d.ts}/${d.state}`) : []
  );
}

Deno.test("FleetFeedActor sends each socket what changed once per FLEET_UPDATE_MS, on the actor clock", async () => {
  const t = setup();
  try {
    const socket = await t.open("s1");
    assert.equal(await t.fixes([fix("a", START), fix("b", START)]), 2);
    assert.equal(await t.fixes([fix("a", START + 10), fix("a", START + 20), fix("b", 1)]), 2);
    await t.advance(UPDATE_MS - 1);
    assert.deepEqual(socket.frames, []);
    await t.advance(1);
    assert.deepEqual(driversIn(socket.take("positions")).sort(), [
      `a@${START + 20}/idle`,
      `b@${START}/idle`,
    ]);
    // Nothing moved: no positions frame on the next update.
    await t.advance(UPDATE_MS);
    assert.deepEqual(socket.take("positions"), []);
    await t.fixes([fix("b", START + 1_500)]);
    await t.advance(UPDATE_MS);
    assert.deepEqual(driversIn(socket.take("positions")), [`b@${START + 1_500}/idle`]);
  } finally {
    await t.system.shutdown();
  }
});

Deno.test("FleetFeedActor sends no stats frame before the active orders are counted, then the count in each", async () => {
  let count: (n: number) => void = () => {};
  const counted = new Promise<number>((resolve) => count = resolve);
  const t = setup({ activeOrders: () => counted });
  try {
    const socket = await t.open("s1");
    await t.fixes([fix("a", START)]);
    await t.advance(UPDATE_MS);
    assert.deepEqual(socket.take("stats"), []);
    count(7);
    await t.settle();
    await t.advance(UPDATE_MS);
    await t.advance(UPDATE_MS);
    const stats = socket.take("stats");
    assert.equal(stats.length, 2);
    for (const frame of stats) {
      assert.deepEqual(frame, {
        type: "stats",
        driversOnline: 1,
        activeOrders: 7,
        partitions: [0, 1],
      });
    }
  } finally {
    await t.system.shutdown();
  }
});

Deno.test("FleetFeedActor counts the active orders again every 5 s of the actor clock while sockets are open", async () => {
  const t = setup();
  try {
    await t.fixes([fix("a", START)]);
    assert.deepEqual(t.counts, [START]); // as it starts
    await t.advance(10 * UPDATE_MS); // no socket: no count
    assert.deepEqual(t.counts, [START]);
    const socket = await t.open("s1");
    await t.advance(UPDATE_MS);
    assert.deepEqual(t.counts, [START, START + 11 * UPDATE_MS]);
    for (let i = 0; i < 5; i++) await t.advance(UPDATE_MS);
    assert.deepEqual(t.counts, [START, START + 11 * UPDATE_MS, START + 16 * UPDATE_MS]);
    await t.advance(UPDATE_MS); // the third count is in for the next update
    const last = socket.take("stats").at(-1);
    assert.equal(last?.type === "stats" && last.activeOrders, 3);
  } finally {
    await t.system.shutdown();
  }
});

Deno.test("FleetFeedActor forgets a driver silent for FLEET_GONE_MS, with or without sockets, and says gone", async () => {
  const t = setup();
  try {
    await t.fixes([fix("quiet", START), fix("busy", START)]);
    const socket = await t.open("s1");
    await t.advance(UPDATE_MS);
    socket.take("positions");
    for (let ms = UPDATE_MS; ms < GONE_MS; ms += UPDATE_MS) {
      await t.fixes([fix("busy", t.clock.now())]);
      await t.advance(UPDATE_MS);
    }
    assert.deepEqual(socket.take("gone"), []);
    await t.fixes([fix("busy", t.clock.now())]);
    await t.advance(UPDATE_MS); // quiet's fix is now older than GONE_MS
    assert.deepEqual(socket.take("gone"), [{ type: "gone", driverIds: ["quiet"] }]);
    assert.deepEqual((await t.nearby()).map((d) => d.driverId), ["busy"]);
    // Without sockets too: the index does not keep a silent driver.
    t.ref.tell({ type: "remove", id: "s1" });
    await t.settle();
    await t.advance(GONE_MS + UPDATE_MS);
    assert.deepEqual(await t.nearby({ radiusM: 50_000 }), []);
    const again = await t.open("s2");
    await t.advance(UPDATE_MS);
    const stats = again.take("stats").at(-1);
    assert.equal(stats?.type === "stats" && stats.driversOnline, 0);
  } finally {
    await t.system.shutdown();
  }
});

Deno.test("FleetFeedActor takes each driver's state from its orders: at start, then from every change", async () => {
  const atStart: FleetOrder[] = [{ driverId: "a", status: "picked_up" }];
  const t = setup({ activeDriverOrders: () => Promise.resolve(atStart) });
  try {
    const socket = await t.open("s1");
    await t.fixes([fix("a", START), fix("b", START), fix("c", START)]);
    t.ref.tell({ type: "orders", orders: [{ driverId: "b", status: "assigned" }] });
    t.ref.tell({ type: "orders", orders: [{ driverId: null, status: "assigned" }] });
    await t.settle(); // a timer's tick is served ahead of queued messages: let them in first
    await t.advance(UPDATE_MS);
    assert.deepEqual(driversIn(socket.take("positions")).sort(), [
      `a@${START}/carrying`,
      `b@${START}/to_pickup`,
      `c@${START}/idle`,
    ]);
    assert.deepEqual((await t.nearby({ state: "to_pickup" })).map((d) => d.driverId), ["b"]);
    t.ref.tell({ type: "orders", orders: [{ driverId: "a", status: "delivered" }] });
    t.ref.tell({ type: "orders", orders: [{ driverId: "b", status: "picked_up" }] });
    await t.settle();
    await t.advance(UPDATE_MS); // a state change goes out though the fix did not change
    assert.deepEqual(driversIn(socket.take("positions")).sort(), [
      `a@${START}/idle`,
      `b@${START}/carrying`,
    ]);
    // A driver with an order and no fix yet shows its state with its first fix.
    t.ref.tell({ type: "orders", orders: [{ driverId: "d", status: "assigned" }] });
    await t.fixes([fix("d", START + 5)]);
    await t.advance(UPDATE_MS);
    assert.deepEqual(driversIn(socket.take("positions")), [`d@${START + 5}/to_pickup`]);
  } finally {
    await t.system.shutdown();
  }
});

Deno.test("FleetFeedActor answers nearby at the actor clock's time, leaving out fixes older than NEARBY_MAX_AGE_MS", async () => {
  const t = setup({ nearbyMaxAgeMs: 2_000, goneMs: 60_000 });
  try {
    await t.fixes([fix("old", START - 2_001, 13.001), fix("new", START - 100, 13.002)]);
    const found = await t.nearby();
    assert.deepEqual(found.map((d) => [d.driverId, d.ageMs]), [["new", 100]]);
  } finally {
    await t.system.shutdown();
  }
});

Deno.test("FleetFeedActor sends zone events to every socket at once; a full socket skips updates", async () => {
  const t = setup();
  try {
    const [s1, s2] = [await t.open("s1"), await t.open("s2")];
    const event = {
      id: "z1:a:enter:1",
      zoneId: "z1",
      zoneName: "Kitchen",
      restaurantId: "r1",
      driverId: "a",
      kind: "enter" as const,
      episode: 1,
      ts: START,
      lat: 13,
      lon: 77.6,
      createdAt: START,
    };
    t.ref.tell({ type: "zone", event });
    await t.settle();
    for (const s of [s1, s2]) assert.deepEqual(s.take("zone"), [{ type: "zone", ...event }]);
    s2.buffered = 1_001;
    await t.fixes([fix("a", START)]);
    await t.advance(UPDATE_MS);
    assert.deepEqual(driversIn(s1.take("positions")), [`a@${START}/idle`]);
    assert.deepEqual(s2.frames, []);
    s2.buffered = 0;
    await t.fixes([fix("a", START + 1)]);
    await t.advance(UPDATE_MS);
    assert.deepEqual(driversIn(s2.take("positions")), [`a@${START + 1}/idle`]);
  } finally {
    await t.system.shutdown();
  }
});

Deno.test("FleetFeedActor keeps its index and sockets when a socket throws", async () => {
  const t = setup();
  try {
    const good = await t.open("good");
    const bad = await t.open("bad");
    bad.connection.send = () => {
      throw new Error("socket gone");
    };
    await t.fixes([fix("a", START)]);
    await t.advance(UPDATE_MS);
    assert.ok(t.errors.length > 0);
    t.ref.tell({ type: "remove", id: "bad" });
    await t.settle();
    await t.advance(UPDATE_MS);
    assert.deepEqual(driversIn(good.frames), [`a@${START}/idle`]);
    assert.deepEqual((await t.nearby()).map((d) => d.driverId), ["a"]);
  } finally {
    await t.system.shutdown();
  }
});

Deno.test("FleetFeedActor on close shuts every socket with 1001, stops the updates, and refuses new sockets", async () => {
  const t = setup();
  try {
    const socket = await t.open("s1");
    await t.fixes([fix("a", START)]);
    await t.ref.ask<void>((replyTo) => ({ type: "close", replyTo }));
    assert.deepEqual(socket.closed, [[1001, "server shutting down"]]);
    await t.advance(5 * UPDATE_MS);
    assert.deepEqual(socket.frames, []);
    const late = await t.open("s2");
    assert.deepEqual(late.closed, [[1001, "server shutting down"]]);
    assert.deepEqual((await t.nearby()).map((d) => d.driverId), ["a"]);
  } finally {
    await t.system.shutdown();
  }
});
