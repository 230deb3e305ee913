import assert from "node:assert/strict";
import {
  LIVE_ROUTER,
  LIVE_ROUTER_ID,
  liveRouterKind,
  type LiveRouterMessage,
} from "./live_router.ts";
import { ORDER } from "./order_actor.ts";
import { ActorSystem } from "./runtime/mod.ts";
import { fixAt as fix } from "./_test_fixtures.ts";

function setup() {
  const system = new ActorSystem();
  const reads: number[][] = [];
  const followed = new Set<string>();
  const told: [string, string, number][] = [];
  system.register(
    LIVE_ROUTER,
    liveRouterKind({
      read: (partitions) => reads.push([...partitions].sort()),
      follow: (driverId, on) => void (on ? followed.add(driverId) : followed.delete(driverId)),
      orders: system.refs(ORDER),
    }),
  );
  system.register(ORDER, {
    create: (id) => ({
      receive: (m) => {
        if (m.type === "location") told.push([id, m.record.driverId, m.record.ts]);
      },
    }),
  });
  const router = system.ref(LIVE_ROUTER, LIVE_ROUTER_ID);
  const tell = async (...messages: LiveRouterMessage[]) => {
    for (const m of messages) router.tell(m);
    await system.settled();
  };
  return { system, reads, followed, told, tell };
}

Deno.test("LiveRouter builds its index from watch messages and tells the tailer what to read and decode", async () => {
  const t = setup();
  await t.tell(
    { type: "watch", orderId: "o1", driverId: "d1", partitions: [0, 1] },
    { type: "watch", orderId: "o2", driverId: "d1", partitions: [1] },
    { type: "watch", orderId: "o3", driverId: null, partitions: [2] },
  );
  assert.deepEqual(t.reads.at(-1), [0, 1, 2]);
  assert.deepEqual([...t.followed], ["d1"]);
  await t.tell({ type: "watchPartition", orderId: "o3", partition: 3 });
  assert.deepEqual(t.reads.at(-1), [0, 1, 2, 3]);
  await t.tell({ type: "unwatch", orderId: "o1" });
  assert.deepEqual(t.reads.at(-1), [1, 2, 3], "partition 1 is still used by o2");
  assert.deepEqual([...t.followed], ["d1"], "o2 still follows d1");
  await t.tell({ type: "unwatch", orderId: "o2" }, { type: "unwatch", orderId: "o3" });
  assert.deepEqual(t.reads.at(-1), []);
  assert.deepEqual([...t.followed], []);
  await t.system.shutdown();
});

Deno.test("LiveRouter hands each fix to the orders watching its driver, and to no other", async () => {
  const t = setup();
  await t.tell(
    { type: "watch", orderId: "o1", driverId: "d1", partitions: [1] },
    { type: "watch", orderId: "o2", driverId: "d1", partitions: [1] },
    { type: "watch", orderId: "o3", driverId: "d2", partitions: [1] },
    { type: "fix", record: fix("d1", 100) },
    { type: "fix", record: fix("d9", 100) },
    { type: "fix", record: fix("d1", 200) },
  );
  assert.deepEqual(t.told.sort(), [
    ["o1", "d1", 100],
    ["o1", "d1", 200],
    ["o2", "d1", 100],
    ["o2", "d1", 200],
  ]);
  // Re-pointed to another driver: the old one's fixes no longer reach it.
  await t.tell(
    { type: "watch", orderId: "o1", driverId: "d2", partitions: [1] },
    { type: "fix", record: fix("d1", 300) },
  );
  assert.deepEqual(t.told.filter(([, , ts]) => ts === 300), [["o2", "d1", 300]]);
  await t.system.shutdown();
});
