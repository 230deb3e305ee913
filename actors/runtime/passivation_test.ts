import assert from "node:assert/strict";
import { actorKey } from "./actor_key.ts";
import { metricsOf, testSystem } from "./_testing.ts";

type M = { type: "hold"; on: boolean } | { type: "ping" };
const ROOM = actorKey<M>("room");

Deno.test("Passivation waits while the instance refuses, then stops it; a new message re-creates it", async () => {
  const { system, clock } = testSystem();
  let instances = 0;
  system.register(ROOM, {
    idleMs: 1000,
    create: () => {
      instances++;
      let held = false;
      return {
        receive: (m) => void (m.type === "hold" && (held = m.on)),
        canPassivate: () => !held,
      };
    },
  });
  const ref = system.ref(ROOM, "r");
  ref.tell({ type: "hold", on: true });
  await system.settled();
  clock.advance(5000);
  await system.settled();
  assert.equal(system.has(ROOM, "r"), true, "kept while it refuses");
  ref.tell({ type: "hold", on: false });
  await system.settled();
  clock.advance(999);
  await system.settled();
  assert.equal(system.has(ROOM, "r"), true, "idle is measured from the last message");
  clock.advance(1);
  await system.settled();
  assert.equal(system.has(ROOM, "r"), false);
  assert.equal(clock.pending(), 0);
  ref.tell({ type: "ping" });
  await system.settled();
  const m = metricsOf(system, "room");
  assert.deepEqual([instances, m.activations, m.passivations, m.live], [2, 2, 1, 1]);
  await system.shutdown();
});
