import assert from "node:assert/strict";
import { actorKey } from "./actor_key.ts";
import { ActorStoppedError } from "./errors.ts";
import { metricsOf, testSystem } from "./_testing.ts";

type M = { type: "work"; n: number } | { type: "block" } | { type: "fail" };

Deno.test("ActorSystem passivates an idle actor only when its mailbox is empty", async () => {
  const { system, clock } = testSystem();
  const gate = Promise.withResolvers<void>();
  const log: string[] = [];
  system.register(actorKey<M>("idle"), {
    idleMs: 100,
    create: () => ({
      async receive(m) {
        if (m.type === "block") await gate.promise;
        log.push(m.type);
      },
      onStop: () => void log.push("stop"),
    }),
  });
  const ref = system.ref(actorKey<M>("idle"), "i");
  ref.tell({ type: "work", n: 1 });
  await system.settled();
  ref.tell({ type: "block" });
  ref.tell({ type: "work", n: 2 });
  clock.advance(100);
  await Promise.resolve();
  assert.equal(
    system.has(actorKey("idle"), "i"),
    true,
    "busy with a queued message at the idle deadline",
  );
  assert.ok(metricsOf(system, "idle").mailboxDepth > 0);
  gate.resolve();
  await system.settled();
  clock.advance(99);
  await system.settled();
  assert.equal(system.has(actorKey("idle"), "i"), true, "idle is measured from the last message");
  clock.advance(1);
  await system.settled();
  assert.equal(system.has(actorKey("idle"), "i"), false);
  assert.deepEqual(log, ["work", "block", "work", "stop"]);
  assert.equal(metricsOf(system, "idle").passivations, 1);
  await system.shutdown();
});

Deno.test("ActorSystem activates a new instance for a message after passivation", async () => {
  const { system, clock } = testSystem();
  let instances = 0;
  system.register(actorKey<M>("idle"), {
    idleMs: 10,
    create: () => (instances++, { receive() {} }),
  });
  const ref = system.ref(actorKey<M>("idle"), "i");
  ref.tell({ type: "work", n: 1 });
  await system.settled();
  clock.advance(10);
  await system.settled();
  ref.tell({ type: "work", n: 2 });
  await system.settled();
  const m = metricsOf(system, "idle");
  assert.deepEqual([instances, m.activations, m.passivations, m.live], [2, 2, 1, 1]);
  await system.shutdown();
});

Deno.test("ActorSystem.stop finishes the current message, drops the queue and runs onStop", async () => {
  const { system } = testSystem();
  const started = Promise.withResolvers<void>();
  const gate = Promise.withResolvers<void>();
  const log: string[] = [];
  system.register(actorKey<M | { type: "ask"; replyTo: (n: number) => void }>("s"), {
    create: () => ({
      async receive(m) {
        if (m.type === "block") {
          started.resolve();
          await gate.promise;
        }
        log.push(m.type);
      },
      onStop: () => void log.push("stop"),
    }),
  });
  const ref = system.ref(actorKey<M | { type: "ask"; replyTo: (n: number) => void }>("s"), "1");
  ref.tell({ type: "block" });
  ref.tell({ type: "work", n: 1 });
  const asked = ref.ask<number>((replyTo) => ({ type: "ask", replyTo }));
  await started.promise;
  const stopped = system.stop(actorKey("s"), "1");
  gate.resolve();
  await stopped;
  await assert.rejects(asked, ActorStoppedError);
  assert.deepEqual(log, ["block", "stop"]);
  assert.deepEqual([system.has(actorKey("s"), "1"), metricsOf(system, "s").dropped], [false, 2]);
  await system.shutdown();
});

Deno.test("ActorSystem.shutdown drains every mailbox, runs onStop and cancels timers", async () => {
  const { system, clock } = testSystem();
  const log: string[] = [];
  system.register(actorKey<M | { type: "tick" }>("d"), {
    create: (id, ctx) => ({
      onStart: () => ctx.timers.every("t", 5, { type: "tick" }),
      async receive(m) {
        await Promise.resolve();
        log.push(`${id}:${m.type === "work" ? m.n : m.type}`);
      },
      onStop: () => void log.push(`${id}:stop`),
    }),
  });
  for (const id of ["a", "b"]) {
    for (let n = 1; n <= 3; n++) system.ref(actorKey<M>("d"), id).tell({ type: "work", n });
  }
  await system.shutdown();
  assert.deepEqual(log.filter((l) => l.startsWith("a")), ["a:1", "a:2", "a:3", "a:stop"]);
  assert.deepEqual(log.filter((l) => l.startsWith("b")), ["b:1", "b:2", "b:3", "b:stop"]);
  assert.deepEqual([system.count(), clock.pending()], [0, 0]);
  assert.throws(
    () => system.ref(actorKey<M>("d"), "a").tell({ type: "work", n: 4 }),
    ActorStoppedError,
  );
});

Deno.test("ActorSystem.shutdown restarts an actor in backoff at once so it drains", async () => {
  const { system, clock } = testSystem();
  const seen: number[] = [];
  system.register(actorKey<M>("f"), {
    supervision: { maxRestarts: 3, windowMs: 1000, backoffMs: 10_000, maxBackoffMs: 10_000 },
    create: () => ({
      receive(m) {
        if (m.type === "fail") throw new Error("boom");
        if (m.type === "work") seen.push(m.n);
      },
    }),
  });
  const ref = system.ref(actorKey<M>("f"), "1");
  ref.tell({ type: "fail" });
  ref.tell({ type: "work", n: 1 });
  await system.settled();
  assert.deepEqual(seen, []);
  await system.shutdown();
  assert.deepEqual(seen, [1]);
  assert.deepEqual([metricsOf(system, "f").restarts, clock.pending()], [1, 0]);
});

Deno.test("ActorContext.stopWhenIdle handles every queued message, then stops; a later message activates a new instance", async () => {
  const { system } = testSystem();
  const gate = Promise.withResolvers<void>();
  const log: string[] = [];
  let instances = 0;
  system.register(actorKey<M>("once"), {
    create: (_id, ctx) => {
      const instance = ++instances;
      return {
        async receive(m) {
          if (m.type === "block") await gate.promise;
          log.push(`${instance}:${m.type === "work" ? m.n : m.type}`);
          ctx.stopWhenIdle();
        },
        onStop: () => void log.push(`${instance}:stop`),
      };
    },
  });
  const ref = system.ref(actorKey<M>("once"), "o");
  ref.tell({ type: "block" });
  ref.tell({ type: "work", n: 1 });
  await Promise.resolve();
  ref.tell({ type: "work", n: 2 }); // arrives while the first message is handled
  gate.resolve();
  await system.settled();
  assert.equal(system.has(actorKey("once"), "o"), false);
  assert.deepEqual(log, ["1:block", "1:1", "1:2", "1:stop"]);
  ref.tell({ type: "work", n: 3 });
  await system.settled();
  assert.deepEqual(log.slice(4), ["2:3", "2:stop"]);
  const m = metricsOf(system, "once");
  assert.deepEqual([m.activations, m.passivations, m.dropped, m.live], [2, 2, 0, 0]);
  await system.shutdown();
});

Deno.test("ActorContext.stopWhenIdle(false) from a later message takes the request back", async () => {
  const { system } = testSystem();
  system.register(actorKey<M>("maybe"), {
    create: (_id, ctx) => ({ receive: (m) => ctx.stopWhenIdle(m.type === "work" && m.n === 0) }),
  });
  const ref = system.ref(actorKey<M>("maybe"), "m");
  ref.tell({ type: "work", n: 0 });
  ref.tell({ type: "work", n: 1 });
  await system.settled();
  assert.equal(system.has(actorKey("maybe"), "m"), true);
  ref.tell({ type: "work", n: 0 });
  await system.settled();
  assert.equal(system.has(actorKey("maybe"), "m"), false);
  await system.shutdown();
});
