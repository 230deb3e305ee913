import assert from "node:assert/strict";
import { actorKey } from "./actor_key.ts";
import { MailboxFullError } from "./errors.ts";
import { metricsOf, testSystem } from "./_testing.ts";

type Num = { type: "num"; n: number };
type Keyed = { type: "pos"; key: string; n: number };

Deno.test("ActorSystem activates an actor lazily on its first message", async () => {
  const { system } = testSystem();
  const created: string[] = [];
  const seen: number[] = [];
  system.register(actorKey<Num>("counter"), {
    create(id) {
      created.push(id);
      return { onStart: () => void seen.push(0), receive: (m) => void seen.push(m.n) };
    },
  });
  const ref = system.ref(actorKey<Num>("counter"), "c1");
  assert.deepEqual([created, system.has(actorKey("counter"), "c1"), system.count()], [
    [],
    false,
    0,
  ]);
  ref.tell({ type: "num", n: 1 });
  ref.tell({ type: "num", n: 2 });
  assert.equal(system.has(actorKey("counter"), "c1"), true);
  await system.settled();
  assert.deepEqual(created, ["c1"]);
  assert.deepEqual(seen, [0, 1, 2]);
  assert.equal(metricsOf(system, "counter").activations, 1);
  await system.shutdown();
});

Deno.test("ActorSystem delivers one message at a time, in order, even when receive is async", async () => {
  const { system } = testSystem();
  let inFlight = 0;
  let maxInFlight = 0;
  const seen: number[] = [];
  system.register(actorKey<Num>("slow"), {
    create: () => ({
      async receive(m) {
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        for (let i = 0; i < 3; i++) await Promise.resolve();
        seen.push(m.n);
        inFlight--;
      },
    }),
  });
  const ref = system.ref(actorKey<Num>("slow"), "s");
  for (let n = 1; n <= 5; n++) ref.tell({ type: "num", n });
  await system.settled();
  assert.deepEqual(seen, [1, 2, 3, 4, 5]);
  assert.equal(maxInFlight, 1);
  await system.shutdown();
});

Deno.test("ActorSystem yields to the event loop after `throughput` messages", async () => {
  const { system } = testSystem();
  let processed = 0;
  system.register(actorKey<Num>("busy"), {
    throughput: 100,
    create: () => ({ receive: () => void processed++ }),
  });
  // A macrotask queued before the messages runs after the first turn, not after all of them.
  const atFirstMacrotask = new Promise<number>((resolve) =>
    setTimeout(() => resolve(processed), 0)
  );
  const ref = system.ref(actorKey<Num>("busy"), "b");
  for (let n = 0; n < 250; n++) ref.tell({ type: "num", n });
  await system.settled();
  assert.equal(await atFirstMacrotask, 100);
  assert.equal(processed, 250);
  await system.shutdown();
});

Deno.test("ActorSystem tell throws MailboxFullError when a reject mailbox is full", async () => {
  const { system } = testSystem();
  system.register(actorKey<Num>("strict"), {
    mailbox: { capacity: 2, overflow: "reject" },
    create: () => ({ receive() {} }),
  });
  const ref = system.ref(actorKey<Num>("strict"), "s1");
  ref.tell({ type: "num", n: 1 });
  ref.tell({ type: "num", n: 2 });
  assert.throws(
    () => ref.tell({ type: "num", n: 3 }),
    (error: unknown) =>
      error instanceof MailboxFullError && error.kind === "strict" && error.id === "s1" &&
      error.capacity === 2,
  );
  await system.settled();
  assert.deepEqual(
    [metricsOf(system, "strict").processed, metricsOf(system, "strict").dropped],
    [2, 1],
  );
  await system.shutdown();
});

Deno.test("ActorSystem drop-oldest mailbox keeps the newest messages and counts drops", async () => {
  const { system } = testSystem();
  const seen: number[] = [];
  system.register(actorKey<Num>("lossy"), {
    mailbox: { capacity: 2, overflow: "drop-oldest" },
    create: () => ({ receive: (m) => void seen.push(m.n) }),
  });
  const ref = system.ref(actorKey<Num>("lossy"), "l");
  for (let n = 1; n <= 5; n++) ref.tell({ type: "num", n });
  await system.settled();
  assert.deepEqual(seen, [4, 5]);
  assert.equal(metricsOf(system, "lossy").dropped, 3);
  await system.shutdown();
});

Deno.test("ActorSystem conflate mailbox delivers only the latest message per key, in queue order", async () => {
  const { system } = testSystem();
  const seen: string[] = [];
  system.register(actorKey<Keyed>("viewer"), {
    mailbox: { capacity: 10, overflow: "conflate", conflateKey: (m) => m.key },
    create: () => ({ receive: (m) => void seen.push(`${m.key}${m.n}`) }),
  });
  const ref = system.ref(actorKey<Keyed>("viewer"), "v");
  for (const [key, n] of [["a", 1], ["b", 1], ["a", 2], ["c", 1], ["b", 2], ["a", 3]] as const) {
    ref.tell({ type: "pos", key, n });
  }
  await system.settled();
  assert.deepEqual(seen, ["a3", "b2", "c1"]);
  assert.equal(metricsOf(system, "viewer").dropped, 3);
  await system.shutdown();
});

Deno.test("ActorSystem serves timer messages first and never drops them on a full mailbox", async () => {
  const { system, clock } = testSystem();
  const seen: string[] = [];
  type M = Num | { type: "tick" };
  system.register(actorKey<M>("ticker"), {
    mailbox: { capacity: 1, overflow: "drop-oldest" },
    create: (_id, ctx) => ({
      onStart: () => ctx.timers.every("tick", 10, { type: "tick" }),
      receive: (m) => void seen.push(m.type === "tick" ? "tick" : `n${m.n}`),
    }),
  });
  const ref = system.ref(actorKey<M>("ticker"), "t");
  ref.tell({ type: "num", n: 0 });
  await system.settled();
  for (let n = 1; n <= 3; n++) ref.tell({ type: "num", n });
  clock.advance(30);
  await system.settled();
  assert.deepEqual(seen, ["n0", "tick", "tick", "tick", "n3"]);
  assert.equal(metricsOf(system, "ticker").dropped, 2);
  await system.shutdown();
});

Deno.test("ActorSystem reports metrics per kind", async () => {
  const { system } = testSystem();
  system.register(actorKey<Num>("a"), { create: () => ({ receive() {} }) });
  system.register(actorKey<Num>("b"), { create: () => ({ receive() {} }) });
  for (const id of ["1", "2", "3"]) system.ref(actorKey<Num>("a"), id).tell({ type: "num", n: 0 });
  system.ref(actorKey<Num>("a"), "1").tell({ type: "num", n: 1 });
  assert.equal(metricsOf(system, "a").mailboxDepth, 4);
  await system.settled();
  assert.deepEqual(system.metrics(), [
    {
      kind: "a",
      live: 3,
      mailboxDepth: 0,
      processed: 4,
      dropped: 0,
      restarts: 0,
      activations: 3,
      passivations: 0,
      failures: 0,
    },
    {
      kind: "b",
      live: 0,
      mailboxDepth: 0,
      processed: 0,
      dropped: 0,
      restarts: 0,
      activations: 0,
      passivations: 0,
      failures: 0,
    },
  ]);
  assert.deepEqual([system.count(), system.count(actorKey("a")), system.count(actorKey("b"))], [
    3,
    3,
    0,
  ]);
  await system.shutdown();
});

Deno.test("ActorSystem rejects unknown and duplicate kinds and invalid settings", () => {
  const { system } = testSystem();
  system.register(actorKey<Num>("a"), { create: () => ({ receive() {} }) });
  assert.throws(
    () => system.register(actorKey<Num>("a"), { create: () => ({ receive() {} }) }),
    Error,
  );
  assert.throws(() => system.ref(actorKey<Num>("missing"), "x"), Error);
  assert.throws(
    () => system.register(actorKey<Num>("c"), { throughput: 0, create: () => ({ receive() {} }) }),
    RangeError,
  );
  assert.throws(
    () =>
      system.register(actorKey<Num>("d"), {
        mailbox: { capacity: 5, overflow: "conflate" },
        create: () => ({ receive() {} }),
      }),
    TypeError,
  );
});
