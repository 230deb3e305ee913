import assert from "node:assert/strict";
import { actorKey } from "./actor_key.ts";
import type { ActorContext } from "./types.ts";
import { testSystem } from "./_testing.ts";

type M =
  | { type: "tick"; label: string }
  | { type: "once"; key: string; ms: number }
  | { type: "every"; key: string; ms: number }
  | { type: "cancel"; key: string };

function timerActor(ctx: ActorContext<M>, seen: string[]) {
  return {
    receive(m: M) {
      if (m.type === "tick") seen.push(`${m.label}@${ctx.clock.now()}`);
      else if (m.type === "once") ctx.timers.once(m.key, m.ms, { type: "tick", label: m.key });
      else if (m.type === "every") ctx.timers.every(m.key, m.ms, { type: "tick", label: m.key });
      else ctx.timers.cancel(m.key);
    },
  };
}

Deno.test("ActorContext timers.once sends its message once, after the delay", async () => {
  const { system, clock } = testSystem();
  const seen: string[] = [];
  system.register(actorKey<M>("t"), { create: (_id, ctx) => timerActor(ctx, seen) });
  const ref = system.ref(actorKey<M>("t"), "1");
  ref.tell({ type: "once", key: "a", ms: 50 });
  await system.settled();
  clock.advance(49);
  await system.settled();
  assert.deepEqual(seen, []);
  clock.advance(1);
  await system.settled();
  clock.advance(500);
  await system.settled();
  assert.deepEqual(seen, ["a@50"]);
  assert.equal(clock.pending(), 0);
  await system.shutdown();
});

Deno.test("ActorContext timers.every repeats until cancelled, and a key replaces its timer", async () => {
  const { system, clock } = testSystem();
  const seen: string[] = [];
  system.register(actorKey<M>("t"), { create: (_id, ctx) => timerActor(ctx, seen) });
  const ref = system.ref(actorKey<M>("t"), "1");
  ref.tell({ type: "every", key: "e", ms: 10 });
  await system.settled();
  for (let i = 0; i < 3; i++) {
    clock.advance(10);
    await system.settled();
  }
  assert.deepEqual(seen, ["e@10", "e@20", "e@30"]);
  ref.tell({ type: "every", key: "e", ms: 100 });
  await system.settled();
  clock.advance(100);
  await system.settled();
  assert.deepEqual(seen.slice(3), ["e@130"]);
  ref.tell({ type: "cancel", key: "e" });
  await system.settled();
  assert.equal(clock.pending(), 0);
  clock.advance(1000);
  await system.settled();
  assert.equal(seen.length, 4);
  await system.shutdown();
});

Deno.test("ActorSystem cancels an actor's timers when it stops", async () => {
  const { system, clock } = testSystem();
  const seen: string[] = [];
  system.register(actorKey<M>("t"), { create: (_id, ctx) => timerActor(ctx, seen) });
  const ref = system.ref(actorKey<M>("t"), "1");
  ref.tell({ type: "every", key: "e", ms: 10 });
  ref.tell({ type: "once", key: "o", ms: 25 });
  await system.settled();
  assert.equal(clock.pending(), 2);
  await system.stop(actorKey("t"), "1");
  assert.equal(clock.pending(), 0);
  clock.advance(100);
  await system.settled();
  assert.deepEqual([seen, system.has(actorKey("t"), "1")], [[], false]);
  await system.shutdown();
});

Deno.test("ActorSystem cancels an actor's timers when it passivates, and timer ticks do not keep it alive", async () => {
  const { system, clock } = testSystem();
  const seen: string[] = [];
  system.register(actorKey<M>("t"), { idleMs: 100, create: (_id, ctx) => timerActor(ctx, seen) });
  system.ref(actorKey<M>("t"), "1").tell({ type: "every", key: "e", ms: 30 });
  await system.settled();
  for (let i = 0; i < 4; i++) {
    clock.advance(30);
    await system.settled();
  }
  assert.deepEqual(seen, ["e@30", "e@60", "e@90"]);
  assert.equal(system.has(actorKey("t"), "1"), false);
  assert.equal(clock.pending(), 0);
  await system.shutdown();
});
