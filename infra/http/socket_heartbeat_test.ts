import assert from "node:assert/strict";
import FakeTimers from "@sinonjs/fake-timers";
import { EventEmitter } from "node:events";
// @ts-types="@types/ws"
import type { WebSocket } from "ws";
import { socketHeartbeat } from "./socket_heartbeat.ts";

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
