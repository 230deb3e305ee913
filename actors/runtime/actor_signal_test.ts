import assert from "node:assert/strict";
import { actorKey } from "./actor_key.ts";
import { testSystem } from "./_testing.ts";

type M = { type: "work"; n: number } | { type: "done"; n: number };

Deno.test("ActorContext.signal delivers past a full mailbox and ahead of queued messages", async () => {
  const { system } = testSystem();
  const seen: string[] = [];
  const gate = Promise.withResolvers<void>();
  system.register(actorKey<M>("s"), {
    mailbox: { capacity: 2, overflow: "reject" },
    create: (_id, ctx) => ({
      async receive(m: M) {
        seen.push(`${m.type}${m.n}`);
        if (m.type === "work" && m.n === 1) {
          // Async work the actor started: its completion comes back as a signal.
          void gate.promise.then(() => ctx.signal({ type: "done", n: 1 }));
          await gate.promise;
        }
      },
    }),
  });
  const ref = system.ref(actorKey<M>("s"), "1");
  ref.tell({ type: "work", n: 1 });
  await new Promise((r) => setTimeout(r, 0)); // work1 is running, waiting on the gate
  ref.tell({ type: "work", n: 2 });
  ref.tell({ type: "work", n: 3 });
  assert.throws(() => ref.tell({ type: "work", n: 4 }), /full/i, "the mailbox is full");
  gate.resolve();
  await system.settled();
  assert.deepEqual(seen, ["work1", "done1", "work2", "work3"]);
  await system.shutdown();
});

Deno.test("ActorContext.signal after the actor stopped is dropped, not an error", async () => {
  const { system } = testSystem();
  let signal: ((m: M) => void) | undefined;
  const seen: string[] = [];
  system.register(actorKey<M>("s"), {
    create: (_id, ctx) => ({
      receive(m: M) {
        seen.push(`${m.type}${m.n}`);
        signal = (x) => ctx.signal(x);
      },
    }),
  });
  const ref = system.ref(actorKey<M>("s"), "1");
  ref.tell({ type: "work", n: 1 });
  await system.settled();
  await system.stop(actorKey("s"), "1");
  signal!({ type: "done", n: 1 });
  await system.settled();
  assert.deepEqual(seen, ["work1"]);
  assert.equal(system.has(actorKey("s"), "1"), false, "the signal did not bring the actor back");
  await system.shutdown();
});
