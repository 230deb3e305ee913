import assert from "node:assert/strict";
import { ActorSystem, VirtualClock } from "./runtime/mod.ts";
import { VIEWER_CLOSE_CODES } from "../domain/close_codes.ts";
import type { ViewerFrame } from "./order_protocol.ts";
import { VIEWER, viewerActorKind, viewerConflateKey, type ViewerSocket } from "./viewer_actor.ts";

class FakeSocket implements ViewerSocket {
  sent: ViewerFrame[] = [];
  buffered = 0;
  closed: { code: number; reason: string } | undefined;
  send(text: string): void {
    this.sent.push(JSON.parse(text));
  }
  bufferedAmount(): number {
    return this.buffered;
  }
  close(code: number, reason: string): void {
    this.closed = { code, reason };
  }
}

const location = (seq: number, driverId = "d1", orderId = "o1"): ViewerFrame => ({
  type: "location",
  orderId,
  driverId,
  lat: 12.9 + seq / 1000,
  lon: 77.6,
  ts: 1000 + seq,
  seq,
  ageMs: 0,
  stale: false,
});
const status = (s: "assigned" | "picked_up"): ViewerFrame => ({
  type: "status",
  orderId: "o1",
  status: s,
  driverId: "d1",
  at: 5,
});
const eta = (seconds: number): ViewerFrame => ({
  type: "eta",
  orderId: "o1",
  target: "dropoff",
  seconds,
  distanceMeters: seconds * 6,
});
const near: ViewerFrame = {
  type: "notification",
  orderId: "o1",
  id: "o1:driver_near:500",
  kind: "driver_near",
  thresholdMeters: 500,
  distanceMeters: 480,
  driverId: "d1",
  ts: 1000,
  createdAt: 1001,
};

function tick(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function setup(ids: string[]) {
  const clock = new VirtualClock(0);
  const system = new ActorSystem({ clock });
  const sockets = new Map(ids.map((id) => [id, new FakeSocket()]));
  system.register(
    VIEWER,
    viewerActorKind({
      socketFor: (id) => sockets.get(id),
      maxBufferedBytes: 1000,
      slowMs: 1000,
      pollMs: 25,
    }),
  );
  const send = (id: string, ...frames: ViewerFrame[]) => {
    for (const frame of frames) {
      system.ref(VIEWER, id).tell({ type: "frame", frame });
    }
  };
  /** Moves virtual time in poll-sized steps, letting the actors run between steps. */
  const advance = async (ms: number) => {
    for (let left = ms; left > 0; left -= 25) {
      await tick();
      clock.advance(Math.min(25, left));
    }
    await tick();
  };
  return { clock, system, sockets, socket: (id: string) => sockets.get(id)!, send, advance };
}

Deno.test("ViewerActor sends frames in order as JSON", async () => {
  const t = setup(["v1"]);
  const frames = [status("assigned"), location(1), eta(300), location(2), near, location(3)];
  for (const frame of frames) {
    t.send("v1", frame);
    await t.system.settled();
  }
  assert.deepEqual(t.socket("v1").sent, frames);
  await t.system.shutdown();
});

Deno.test("ViewerActor on a stalled socket conflates queued positions to the newest and keeps every status and notification in order", async () => {
  const t = setup(["v1"]);
  t.socket("v1").buffered = 5000;
  t.send("v1", status("assigned")); // taken at once; waits for room
  await tick();
  t.send("v1", location(1), eta(600), near, location(2), eta(500), status("picked_up"));
  t.send("v1", location(3), location(1, "d2"), eta(400));
  await t.advance(500);
  assert.deepEqual(t.socket("v1").sent, []);
  t.socket("v1").buffered = 0;
  await t.advance(25);
  await t.system.settled();
  assert.deepEqual(t.socket("v1").sent, [
    status("assigned"),
    location(3),
    eta(400),
    near,
    status("picked_up"),
    location(1, "d2"),
  ]);
  await t.system.shutdown();
});

Deno.test("ViewerActor closes a socket stalled for slowMs with 4008 and stops", async () => {
  const t = setup(["v1"]);
  t.socket("v1").buffered = 5000;
  t.send("v1", location(1), status("picked_up"));
  await t.advance(975);
  assert.equal(t.socket("v1").closed, undefined);
  assert.equal(t.system.has(VIEWER, "v1"), true);
  await t.advance(25);
  await t.system.settled();
  assert.deepEqual(t.socket("v1").closed, { code: VIEWER_CLOSE_CODES.tooSlow, reason: "too slow" });
  assert.equal(t.system.has(VIEWER, "v1"), false);
  assert.deepEqual(t.socket("v1").sent, []);
  assert.equal(t.clock.pending(), 0);
  await t.system.shutdown();
});

Deno.test("ViewerActor waiting on a stalled socket does not hold up other viewers", async () => {
  const t = setup(["slow", "fast"]);
  t.socket("slow").buffered = 5000;
  t.send("slow", location(1));
  t.send("fast", location(1), status("picked_up"));
  await t.advance(100);
  assert.deepEqual(t.socket("fast").sent, [location(1), status("picked_up")]);
  t.send("fast", location(2));
  await t.advance(100);
  assert.deepEqual(t.socket("fast").sent, [location(1), status("picked_up"), location(2)]);
  assert.deepEqual(t.socket("slow").sent, []);
  await t.advance(800);
  await t.system.settled();
  assert.equal(t.socket("slow").closed?.code, VIEWER_CLOSE_CODES.tooSlow);
  assert.equal(t.socket("fast").closed, undefined);
  assert.equal(t.system.has(VIEWER, "fast"), true);
  await t.system.shutdown();
});

Deno.test("ViewerActor closes the socket with the given code on a close message and stops", async () => {
  const t = setup(["v1"]);
  t.send("v1", location(1));
  t.system.ref(VIEWER, "v1").tell({
    type: "close",
    code: VIEWER_CLOSE_CODES.finished,
    reason: "delivered",
  });
  await t.system.settled();
  assert.deepEqual(t.socket("v1").sent, [location(1)]);
  assert.deepEqual(t.socket("v1").closed, { code: 1000, reason: "delivered" });
  assert.equal(t.system.has(VIEWER, "v1"), false);
  await t.system.shutdown();
});

Deno.test("ViewerActor stops when its socket is gone, even while waiting for room", async () => {
  const t = setup(["v2"]);
  t.send("v1", location(1));
  await t.system.settled();
  assert.equal(t.system.has(VIEWER, "v1"), false);
  t.socket("v2").buffered = 5000;
  t.send("v2", location(1));
  await t.advance(50);
  t.sockets.delete("v2");
  await t.advance(25);
  await t.system.settled();
  assert.equal(t.system.has(VIEWER, "v2"), false);
  await t.system.shutdown();
});

Deno.test("viewerConflateKey keys locations by order and driver, ETAs by order, and nothing else", () => {
  const key = (frame: ViewerFrame) => viewerConflateKey({ type: "frame", frame });
  assert.equal(key(location(1)), key(location(2)));
  assert.notEqual(key(location(1, "d1")), key(location(1, "d2")));
  assert.notEqual(key(location(1, "d1", "o1")), key(location(1, "d1", "o2")));
  assert.equal(key(eta(1)), key(eta(2)));
  assert.equal(key(status("assigned")), undefined);
  assert.equal(key(near), undefined);
  assert.equal(viewerConflateKey({ type: "close", code: 1000, reason: "" }), undefined);
});

Deno.test("viewerActorKind rejects a non-positive slowMs or pollMs with RangeError", () => {
  const socketFor = () => undefined;
  assert.throws(() => viewerActorKind({ socketFor, maxBufferedBytes: 1, slowMs: 0 }), RangeError);
  assert.throws(
    () => viewerActorKind({ socketFor, maxBufferedBytes: 1, slowMs: 10, pollMs: 0 }),
    RangeError,
  );
  assert.throws(() => viewerActorKind({ socketFor, maxBufferedBytes: -1, slowMs: 10 }), RangeError);
});
