import assert from "node:assert/strict";
import { ActorSystem, VirtualClock } from "./runtime/mod.ts";
import { DRIVER, type DriverActorDeps, driverActorKind } from "./driver_actor.ts";
import type { DriverServerFrame, DriverSocket } from "./driver_protocol.ts";
import type { LocationPublisher } from "../domain/location_publisher.ts";
import type { LocationRecord } from "../domain/location_record.ts";
import { RegionMap } from "../domain/region_map.ts";
import { DEFAULT_FIX_RULES } from "../domain/fix_filter.ts";

const NOW = 1_732_400_000_000;
const regions = new RegionMap({
  catchAll: { name: "other", partition: 2 },
  regions: [
    { name: "north", partition: 0, bbox: [77.45, 12.97, 77.75, 13.15] },
    { name: "south", partition: 1, bbox: [77.45, 12.85, 77.75, 12.97] },
  ],
});

/** A publisher whose sends settle only when the test says so. */
class FakePublisher implements LocationPublisher {
  sent: { record: LocationRecord; partition: number; settle: (ok: boolean) => void }[] = [];
  publish(record: LocationRecord, partition: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.sent.push({
        record,
        partition,
        settle: (ok) => ok ? resolve() : reject(new Error("down")),
      });
    });
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

class FakeSocket implements DriverSocket {
  frames: DriverServerFrame[] = [];
  closed: { code: number; reason: string } | undefined;
  send(frame: DriverServerFrame) {
    this.frames.push(frame);
  }
  close(code: number, reason: string) {
    this.closed = { code, reason };
  }
  errors() {
    return this.frames.filter((f) => f.type === "error").map((f) => f.type === "error" && f.code);
  }
  acks() {
    return this.frames.filter((f) => f.type === "ack").map((f) => f.type === "ack" && f.ts);
  }
}

function setup(
  stored?: LocationRecord,
  orderEvent?: DriverActorDeps["orderEvent"],
  rules?: DriverActorDeps["rules"],
) {
  const clock = new VirtualClock(NOW);
  const system = new ActorSystem({ clock });
  const publisher = new FakePublisher();
  system.register(
    DRIVER,
    driverActorKind({
      publisher,
      regions,
      lastStored: () => Promise.resolve(stored),
      ackIntervalMs: 100,
      ...(orderEvent ? { orderEvent } : {}),
      ...(rules ? { rules } : {}),
    }),
  );
  const socket = new FakeSocket();
  const driver = system.ref(DRIVER, "d1");
  const send = async (frame: unknown) => {
    driver.tell({
      type: "frame",
      text: typeof frame === "string" ? frame : JSON.stringify(frame),
      socket,
    });
    await ticks();
  };
  return { clock, system, publisher, socket, send, driver };
}

async function ticks() {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
}

const fix = (ts: number, lat = 12.9, lon = 77.6) => ({ type: "location", lat, lon, ts });

Deno.test("DriverActor rejects malformed JSON, an unknown type and a malformed frame with error frames", async () => {
  const { system, socket, send, publisher } = setup();
  await send("{oops");
  await send({ type: "teleport" });
  await send({ type: "location", lat: "north", lon: 1, ts: NOW });
  assert.deepEqual(socket.errors(), ["invalid_json", "unknown_type", "invalid_frame"]);
  const last = socket.frames[2]!;
  assert.equal(last.type === "error" && last.message, "lat must be a number");
  assert.equal(publisher.sent.length, 0);
  await system.shutdown();
});

Deno.test("DriverActor numbers accepted fixes, places them in a region and publishes on its partition", async () => {
  const { system, send, publisher } = setup();
  await send(fix(NOW - 2000, 12.9));
  await send(fix(NOW - 1000, 12.9001));
  await send(fix(NOW - 500, 19.07, 72.87)); // ~1,000 km away: impossible speed
  // seq is a hybrid logical clock: the server time in ms, or one more than the last when that is later.
  assert.deepEqual(publisher.sent.map((s) => [s.record.seq, s.record.region, s.partition]), [
    [NOW, "south", 1],
    [NOW + 1, "south", 1],
  ]);
  assert.equal(publisher.sent[0]!.record.driverId, "d1");
  assert.equal(publisher.sent[0]!.record.receivedAt, NOW);
  await system.shutdown();
});

Deno.test("DriverActor rejects each rule's violation with its code and the fix's ts", async () => {
  const { system, socket, send } = setup();
  await send(fix(NOW - 5000));
  await send(fix(NOW - 5000)); // duplicate
  await send(fix(NOW - 6000)); // stale
  await send(fix(NOW - 4000, 91)); // out of range
  await send(fix(NOW - 4000, 0, 0)); // null island
  await send(fix(NOW + 60_000)); // future
  await send(fix(NOW - 3000, 13.5)); // impossible speed
  assert.deepEqual(socket.errors(), [
    "duplicate",
    "stale",
    "out_of_range",
    "null_island",
    "future_timestamp",
    "impossible_speed",
  ]);
  const withTs = socket.frames.filter((f) => f.type === "error" && f.ts !== undefined);
  assert.equal(withTs.length, 6);
  await system.shutdown();
});

Deno.test("DriverActor refuses a fix older than the history retention as too_old and never publishes it", async () => {
  const day = 86_400_000;
  const { system, socket, send, publisher } = setup(undefined, undefined, {
    ...DEFAULT_FIX_RULES,
    maxAgeMs: 2 * day,
  });
  await send(fix(NOW - 2 * day - 1));
  await send({ type: "locations", points: [fix(NOW - 3 * day), fix(NOW - 2 * day - 1000)] });
  assert.deepEqual(socket.errors(), ["too_old", "too_old", "too_old"]);
  assert.equal(publisher.sent.length, 0, "nothing old is published, so nothing is acked");
  await send(fix(NOW - 2 * day + 1000));
  assert.equal(publisher.sent.length, 1, "a fix within the retention is published");
  assert.deepEqual(socket.acks(), []);
  await system.shutdown();
});

Deno.test("DriverActor accepts a locations batch sorted by ts and rejects more than 100 points", async () => {
  const { system, socket, send, publisher } = setup();
  await send({
    type: "locations",
    points: [NOW - 1000, NOW - 3000, NOW - 2000].map((ts) => ({ lat: 12.9, lon: 77.6, ts })),
  });
  assert.deepEqual(publisher.sent.map((s) => s.record.ts), [NOW - 3000, NOW - 2000, NOW - 1000]);
  const many = Array.from({ length: 101 }, (_, i) => ({ lat: 12.9, lon: 77.6, ts: NOW + i }));
  await send({ type: "locations", points: many });
  assert.deepEqual(socket.errors(), ["batch_too_large"]);
  assert.equal(publisher.sent.length, 3);
  await system.shutdown();
});

Deno.test("DriverActor acks cumulatively, only up to the fixes Kafka has stored", async () => {
  const { clock, system, socket, send, publisher } = setup();
  await send(fix(NOW - 3000));
  await send(fix(NOW - 2000));
  await send(fix(NOW - 1000));
  publisher.sent[0]!.settle(true);
  publisher.sent[2]!.settle(true); // stored, but the one before it is not yet
  await ticks();
  clock.advance(100);
  await ticks();
  assert.deepEqual(socket.acks(), [NOW - 3000]);
  publisher.sent[1]!.settle(true);
  await ticks();
  clock.advance(100);
  await ticks();
  assert.deepEqual(socket.acks(), [NOW - 3000, NOW - 1000]);
  await system.shutdown();
});

Deno.test("DriverActor acks as soon as Kafka has a fix, then at most once per ackIntervalMs", async () => {
  const { clock, system, socket, send, publisher } = setup();
  await send(fix(NOW - 3000));
  publisher.sent[0]!.settle(true);
  await ticks();
  assert.deepEqual(socket.acks(), [NOW - 3000], "the first ack needs no timer");
  await send(fix(NOW - 2000));
  await send(fix(NOW - 1000));
  publisher.sent[1]!.settle(true);
  publisher.sent[2]!.settle(true);
  await ticks();
  clock.advance(99);
  await ticks();
  assert.deepEqual(socket.acks(), [NOW - 3000], "held until 100 ms after the last ack");
  clock.advance(1);
  await ticks();
  assert.deepEqual(socket.acks(), [NOW - 3000, NOW - 1000], "one ack covers both");
  clock.advance(1000);
  await send(fix(NOW));
  publisher.sent[3]!.settle(true);
  await ticks();
  assert.deepEqual(socket.acks(), [NOW - 3000, NOW - 1000, NOW], "due again: sent at once");
  await system.shutdown();
});

Deno.test("DriverActor closes with 1011 when Kafka refuses, and accepts the resent fixes after", async () => {
  const { clock, system, socket, send, publisher, driver } = setup();
  await send(fix(NOW - 3000));
  await send(fix(NOW - 2000));
  publisher.sent[0]!.settle(true);
  publisher.sent[1]!.settle(false);
  await ticks();
  clock.advance(100);
  await ticks();
  assert.deepEqual(socket.acks(), [NOW - 3000]);
  assert.equal(socket.closed?.code, 1011);
  // The driver reconnects and resends what was not acked: it is accepted again, not a duplicate.
  const again = new FakeSocket();
  driver.tell({ type: "frame", text: JSON.stringify(fix(NOW - 2000)), socket: again });
  await ticks();
  assert.deepEqual(again.errors(), []);
  assert.equal(publisher.sent.length, 3);
  await system.shutdown();
});

Deno.test("DriverActor never numbers a fix below the server clock, so seq grows across restarts", async () => {
  const stored: LocationRecord = {
    driverId: "d1",
    seq: NOW - 60_000, // restored from PostgreSQL, older than fixes still in Kafka
    ts: NOW - 60_000,
    lat: 12.9,
    lon: 77.6,
    region: "south",
    receivedAt: NOW - 60_000,
  };
  const { system, send, publisher, clock } = setup(stored);
  await send(fix(NOW - 1000));
  clock.advance(5);
  await send(fix(NOW - 500));
  assert.deepEqual(publisher.sent.map((s) => s.record.seq), [NOW, NOW + 5]);
  await system.shutdown();
});

Deno.test("DriverActor continues seq and the stale check from the last stored fix after a restart", async () => {
  const stored: LocationRecord = {
    driverId: "d1",
    seq: NOW + 41, // assigned by a clock running ahead of this one
    ts: NOW - 10_000,
    lat: 12.9,
    lon: 77.6,
    region: "south",
    receivedAt: NOW - 9_000,
  };
  const { system, socket, send, publisher, driver } = setup(stored);
  await send(fix(NOW - 10_000));
  await send(fix(NOW - 9_000));
  assert.deepEqual(socket.errors(), ["duplicate"]);
  assert.equal(publisher.sent[0]!.record.seq, NOW + 42);
  const latest = await driver.ask<LocationRecord | undefined>((replyTo) => ({
    type: "latest",
    replyTo,
  }));
  assert.equal(latest?.ts, NOW - 9_000);
  await system.shutdown();
});

Deno.test("DriverActor hands order events to the order as itself and relays the outcome", async () => {
  const asked: unknown[] = [];
  const { system, socket, send } = setup(undefined, (orderId, command) => {
    asked.push([orderId, command]);
    return Promise.resolve(
      orderId === "o1"
        ? { ok: true, status: "picked_up" }
        : { ok: false, code: "not_your_order", message: "o2 is not assigned to you" },
    );
  });
  await send({ type: "order", orderId: "o1", event: "picked_up" });
  await send({ type: "order", orderId: "o2", event: "delivered" });
  assert.deepEqual(asked, [
    ["o1", { type: "picked_up", driverId: "d1" }],
    ["o2", { type: "delivered", driverId: "d1" }],
  ]);
  assert.deepEqual(socket.frames, [
    { type: "order", orderId: "o1", status: "picked_up" },
    { type: "error", code: "not_your_order", message: "o2 is not assigned to you" },
  ]);
  await system.shutdown();
});

Deno.test("DriverActor refuses an order frame whose orderId has a control character as invalid_frame", async () => {
  const asked: string[] = [];
  const { system, socket, send } = setup(undefined, (orderId) => {
    asked.push(orderId);
    return Promise.resolve({ ok: true, status: "picked_up" });
  });
  await send({ type: "order", orderId: "o\u00001", event: "picked_up" });
  assert.deepEqual(socket.errors(), ["invalid_frame"]);
  const frame = socket.frames[0]!;
  assert.equal(
    frame.type === "error" && frame.message,
    "orderId must not contain control characters",
  );
  assert.deepEqual(asked, []);
  await system.shutdown();
});

Deno.test("DriverActor refuses speed 1e39 as out_of_range and publishes accuracy 1e-50 as 0", async () => {
  const { system, socket, send, publisher } = setup();
  await send({ ...fix(NOW - 2_000), speed: 1e39 });
  assert.deepEqual(socket.errors(), ["out_of_range"]);
  await send({ ...fix(NOW - 1_000), accuracy: 1e-50 });
  assert.equal(publisher.sent.length, 1);
  assert.equal(publisher.sent[0]!.record.accuracy, 0);
  await system.shutdown();
});
