import assert from "node:assert/strict";
import FakeTimers from "@sinonjs/fake-timers";
import { EventEmitter } from "node:events";
// @ts-types="@types/ws"
import type { WebSocket } from "ws";
import { HEARTBEAT_SLICE, socketHeartbeat } from "./socket_heartbeat.ts";

/** The part of a `ws` socket the heartbeat uses: ping, terminate, and `pong` events. */
class _FakeSocket extends EventEmitter {
  pings = 0;
  terminated = false;
  answers = true;
  ping(): void {
    this.pings++;
    if (this.answers) queueMicrotask(() => this.emit("pong"));
  }
  terminate(): void {
    this.terminated = true;
  }
}

Deno.test("socketHeartbeat pings every socket each round and cuts one that missed a ping", async () => {
  const clock = FakeTimers.install({ toFake: ["setInterval", "clearInterval"] });
  const alive = new _FakeSocket();
  const gone = new _FakeSocket();
  gone.answers = false;
  const sockets = new Set([alive, gone]) as unknown as Set<WebSocket>;
  const heartbeat = socketHeartbeat(sockets, 30_000);
  try {
    clock.tick(29_999);
    assert.equal(alive.pings + gone.pings, 0, "no ping before the first round");
    clock.tick(1);
    await Promise.resolve(); // the pong
    assert.deepEqual([alive.pings, gone.pings], [1, 1]);
    clock.tick(30_000);
    await Promise.resolve();
    assert.equal(gone.terminated, true, "no pong to the first ping: cut");
    assert.equal(alive.terminated, false);
    assert.equal(alive.pings, 2);
    // One pong listener per socket, however many rounds.
    clock.tick(60_000);
    assert.equal(alive.listenerCount("pong"), 1);
  } finally {
    heartbeat.stop();
    clock.uninstall();
  }
});

Deno.test("socketHeartbeat leaves a socket that sent a message since the last round unpinged, and pings it once it falls silent", async () => {
  const clock = FakeTimers.install({ toFake: ["setInterval", "clearInterval"] });
  const talker = new _FakeSocket();
  talker.answers = false;
  const sockets = new Set([talker]) as unknown as Set<WebSocket>;
  const heartbeat = socketHeartbeat(sockets, 30_000);
  try {
    clock.tick(30_000);
    assert.equal(talker.pings, 1, "first round: not heard yet, pinged");
    talker.emit("message", "fix");
    clock.tick(30_000);
    await Promise.resolve();
    assert.equal(talker.pings, 1, "a message since the last round: alive, no ping");
    assert.equal(talker.terminated, false, "its message counts as the answer to the first ping");
    talker.emit("message", "fix");
    clock.tick(30_000);
    assert.equal(talker.pings, 1);
    clock.tick(30_000);
    assert.equal(talker.pings, 2, "silent for a round: pinged again");
    assert.equal(talker.terminated, false);
    clock.tick(30_000);
    assert.equal(talker.terminated, true, "no pong and no message: cut");
    assert.equal(talker.listenerCount("message"), 1, "one message listener however many rounds");
  } finally {
    heartbeat.stop();
    clock.uninstall();
  }
});

Deno.test("socketHeartbeat does not ping a socket that has sent something since it was watched from its connection", () => {
  const clock = FakeTimers.install({ toFake: ["setInterval", "clearInterval"] });
  const driver = new _FakeSocket();
  const viewer = new _FakeSocket();
  const sockets = new Set([driver, viewer]) as unknown as Set<WebSocket>;
  const heartbeat = socketHeartbeat(sockets, 30_000);
  try {
    heartbeat.watch(driver as unknown as WebSocket);
    heartbeat.watch(viewer as unknown as WebSocket);
    driver.emit("message", "fix");
    clock.tick(30_000);
    assert.deepEqual([driver.pings, viewer.pings], [0, 1], "only the silent socket is pinged");
    assert.equal(driver.listenerCount("message"), 1, "watch listened once");
    clock.tick(30_000);
    assert.equal(driver.pings, 1, "silent since: pinged");
  } finally {
    heartbeat.stop();
    clock.uninstall();
  }
});

Deno.test("socketHeartbeat pings a round of many silent sockets a slice per turn, and every one of them", () => {
  const clock = FakeTimers.install({
    toFake: ["setInterval", "clearInterval", "setTimeout", "clearTimeout"],
  });
  const all = Array.from({ length: HEARTBEAT_SLICE * 2 + 7 }, () => new _FakeSocket());
  all.forEach((s) => s.answers = false);
  const pinged = () => all.filter((s) => s.pings > 0).length;
  const heartbeat = socketHeartbeat(new Set(all) as unknown as Set<WebSocket>, 30_000);
  try {
    clock.tick(30_000);
    assert.equal(pinged(), HEARTBEAT_SLICE, "the first turn pings one slice");
    clock.next(); // the round's next turn
    assert.equal(pinged(), HEARTBEAT_SLICE * 2);
    clock.next(); // the round's next turn
    assert.equal(pinged(), all.length, "the round goes on until every socket is pinged");
    clock.tick(30_000);
    clock.next(); // the round's next turn
    clock.next(); // the round's next turn
    assert.equal(all.filter((s) => s.terminated).length, all.length, "none answered: all cut");
  } finally {
    heartbeat.stop();
    clock.uninstall();
  }
});
