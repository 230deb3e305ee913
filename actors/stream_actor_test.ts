import assert from "node:assert/strict";
import { testSystem } from "./runtime/_testing.ts";
import { type OpenStream, STREAM, streamActorKind } from "./stream_actor.ts";
import type { HealthReporter } from "../domain/health_reporter.ts";

function recorder(): HealthReporter & { log: string[] } {
  const log: string[] = [];
  return {
    log,
    up: (c) => log.push(`up ${c}`),
    down: (c) => log.push(`down ${c}`),
    restarted: (c) => log.push(`restarted ${c}`),
  };
}

Deno.test("StreamActor rebuilds a failed stream with backoff, for as long as it takes", async () => {
  const { system, clock } = testSystem();
  const health = recorder();
  const opened: { failed: (e: unknown) => void; closed: boolean }[] = [];
  let refuse = 0;
  const open: OpenStream = (failed) => {
    if (refuse > 0) {
      refuse--;
      return Promise.reject(new Error("broker down"));
    }
    const stream = { failed, closed: false };
    opened.push(stream);
    return Promise.resolve({ close: () => (stream.closed = true, Promise.resolve()) });
  };
  const stopping = new AbortController();
  system.register(
    STREAM,
    streamActorKind({ streams: new Map([["history", open]]), health, stopping: stopping.signal }),
  );
  system.ref(STREAM, "history").tell({ type: "start" });
  await system.settled();
  assert.equal(opened.length, 1);
  assert.deepEqual(health.log, ["up history"]);

  // The stream fails, and the broker refuses the next 7 attempts: far more than any kind's
  // default restart budget (5), and the delays grow to the 5 s cap.
  refuse = 7;
  opened[0]!.failed(new Error("fetch failed 4 times"));
  await system.settled();
  assert.equal(opened[0]!.closed, true, "the failed stream is closed");
  const delays = [250, 500, 1_000, 2_000, 4_000, 5_000, 5_000, 5_000];
  for (const [i, delay] of delays.entries()) {
    clock.advance(delay - 1);
    await system.settled();
    assert.equal(opened.length, 1 + (i === delays.length ? 1 : 0), `not before ${delay} ms`);
    clock.advance(1);
    await system.settled();
  }
  assert.equal(opened.length, 2, "the eighth attempt opens a new stream");
  assert.equal(health.log.at(-1), "up history");
  assert.equal(health.log.filter((l) => l === "restarted history").length, 8);
  assert.equal(health.log.filter((l) => l === "down history").length, 8);

  // A close is orderly: the stream closes and the actor stops.
  await system.ref(STREAM, "history")
    .ask<void>((replyTo) => ({ type: "close", replyTo }));
  assert.equal(opened[1]!.closed, true);
  await system.settled();
  assert.equal(system.has(STREAM, "history"), false);
  stopping.abort();
  await system.shutdown();
});

Deno.test("StreamActor restarted after shutdown began opens nothing", async () => {
  const { system } = testSystem();
  let opens = 0;
  const stopping = new AbortController();
  stopping.abort();
  system.register(
    STREAM,
    streamActorKind({
      streams: new Map([[
        "live",
        () => (opens++, Promise.resolve({ close: () => Promise.resolve() })),
      ]]),
      health: recorder(),
      stopping: stopping.signal,
    }),
  );
  system.ref(STREAM, "live").tell({ type: "start" });
  await system.settled();
  assert.equal(opens, 0);
  await system.shutdown();
});
