import assert from "node:assert/strict";
import { actorKey } from "./actor_key.ts";
import { ActorStoppedError } from "./errors.ts";
import { metricsOf, testSystem } from "./_testing.ts";

type M = { type: "ok"; n: number } | { type: "fail" };

Deno.test("ActorSystem restarts a failed actor after an exponential, capped backoff", async () => {
  const { system, clock, errors } = testSystem();
  const starts: number[] = [];
  system.register(actorKey<M>("flaky"), {
    supervision: { maxRestarts: 10, windowMs: 60_000, backoffMs: 100, maxBackoffMs: 250 },
    create: () => {
      starts.push(clock.now());
      return {
        receive(m) {
          if (m.type === "fail") throw new Error("boom");
        },
      };
    },
  });
  const ref = system.ref(actorKey<M>("flaky"), "f");
  // Failing at t=0, 100 and 300 gives restarts after 100, 200, then 250 (capped, not 400).
  for (const wait of [100, 200, 250]) {
    ref.tell({ type: "fail" });
    await system.settled();
    const before = starts.length;
    clock.advance(wait - 1);
    await system.settled();
    assert.equal(starts.length, before, `not restarted before ${wait} ms`);
    clock.advance(1);
    await system.settled();
    assert.equal(starts.length, before + 1, `restarted after ${wait} ms`);
  }
  assert.deepEqual(starts, [0, 100, 300, 550]);
  assert.equal(errors.length, 3);
  assert.deepEqual([errors[0]?.kind, errors[0]?.id, (errors[0]?.error as Error).message], [
    "flaky",
    "f",
    "boom",
  ]);
  const { failures, restarts, activations } = metricsOf(system, "flaky");
  assert.deepEqual([failures, restarts, activations], [3, 3, 1]);
  await system.shutdown();
});

Deno.test("ActorSystem keeps queued messages across a restart and does not retry the failed one", async () => {
  const { system, clock } = testSystem();
  const seen: string[] = [];
  let instances = 0;
  system.register(actorKey<M>("worker"), {
    supervision: { maxRestarts: 3, windowMs: 1000, backoffMs: 50, maxBackoffMs: 50 },
    create: () => {
      const instance = ++instances;
      return {
        receive(m) {
          seen.push(`${instance}:${m.type === "ok" ? m.n : "fail"}`);
          if (m.type === "fail") throw new Error("boom");
        },
      };
    },
  });
  const ref = system.ref(actorKey<M>("worker"), "w");
  ref.tell({ type: "ok", n: 1 });
  ref.tell({ type: "fail" });
  ref.tell({ type: "ok", n: 2 });
  ref.tell({ type: "ok", n: 3 });
  await system.settled();
  assert.deepEqual(seen, ["1:1", "1:fail"]);
  assert.equal(metricsOf(system, "worker").mailboxDepth, 2);
  clock.advance(50);
  await system.settled();
  assert.deepEqual(seen, ["1:1", "1:fail", "2:2", "2:3"]);
  await system.shutdown();
});

Deno.test("ActorSystem restarts an actor whose onStart fails", async () => {
  const { system, clock } = testSystem();
  const seen: number[] = [];
  let attempts = 0;
  system.register(actorKey<M>("starter"), {
    supervision: { maxRestarts: 3, windowMs: 1000, backoffMs: 10, maxBackoffMs: 10 },
    create: () => ({
      onStart() {
        if (++attempts === 1) throw new Error("not yet");
      },
      receive: (m) => void seen.push(m.type === "ok" ? m.n : -1),
    }),
  });
  system.ref(actorKey<M>("starter"), "s").tell({ type: "ok", n: 7 });
  await system.settled();
  assert.deepEqual(seen, []);
  clock.advance(10);
  await system.settled();
  assert.deepEqual(seen, [7]);
  assert.deepEqual([metricsOf(system, "starter").failures, attempts], [1, 2]);
  await system.shutdown();
});

Deno.test("ActorSystem stops an actor for good after more than maxRestarts failures in the window", async () => {
  const { system, clock } = testSystem();
  const seen: number[] = [];
  const stops: number[] = [];
  let instances = 0;
  system.register(actorKey<M | { type: "ask"; replyTo: (n: number) => void }>("fragile"), {
    supervision: { maxRestarts: 2, windowMs: 1000, backoffMs: 10, maxBackoffMs: 100 },
    create: () => {
      const instance = ++instances;
      return {
        receive(m) {
          if (m.type === "fail") throw new Error("boom");
          if (m.type === "ok") seen.push(m.n);
        },
        onStop: () => void stops.push(instance),
      };
    },
  });
  const ref = system.ref(
    actorKey<M | { type: "ask"; replyTo: (n: number) => void }>("fragile"),
    "x",
  );
  for (const wait of [10, 20]) {
    ref.tell({ type: "fail" });
    await system.settled();
    clock.advance(wait);
    await system.settled();
  }
  ref.tell({ type: "fail" });
  ref.tell({ type: "ok", n: 1 });
  const asked = ref.ask<number>((replyTo) => ({ type: "ask", replyTo }));
  await assert.rejects(asked, ActorStoppedError);
  await system.settled();
  assert.equal(system.has(actorKey("fragile"), "x"), false);
  assert.deepEqual(seen, []);
  assert.deepEqual(stops, [1, 2, 3]);
  let m = metricsOf(system, "fragile");
  assert.deepEqual([m.failures, m.restarts, m.dropped, m.live], [3, 2, 2, 0]);
  assert.equal(clock.pending(), 0);

  ref.tell({ type: "ok", n: 2 });
  await system.settled();
  assert.deepEqual(seen, [2]);
  m = metricsOf(system, "fragile");
  assert.deepEqual([m.activations, m.live], [2, 1]);
  await system.shutdown();
});

Deno.test("ActorSystem forgets failures older than the supervision window", async () => {
  const { system, clock } = testSystem();
  system.register(actorKey<M>("steady"), {
    supervision: { maxRestarts: 1, windowMs: 100, backoffMs: 10, maxBackoffMs: 10 },
    create: () => ({
      receive(m) {
        if (m.type === "fail") throw new Error("boom");
      },
    }),
  });
  const ref = system.ref(actorKey<M>("steady"), "s");
  for (let i = 0; i < 3; i++) {
    ref.tell({ type: "fail" });
    await system.settled();
    clock.advance(100);
    await system.settled();
  }
  assert.equal(system.has(actorKey("steady"), "s"), true);
  assert.deepEqual([metricsOf(system, "steady").restarts, metricsOf(system, "steady").failures], [
    3,
    3,
  ]);
  await system.shutdown();
});
