import assert from "node:assert/strict";
import { REGION, regionActorKind } from "./region_actor.ts";
import { LIVE_ROUTER, LIVE_ROUTER_ID, liveRouterKind } from "./live_router.ts";
import { ORDER } from "./order_actor.ts";
import { ActorSystem } from "./runtime/mod.ts";
import { fixAt as fix } from "./_test_fixtures.ts";
import type { LocationRecord } from "../domain/location_record.ts";

function setup() {
  const system = new ActorSystem();
  const told: [string, number][] = [];
  system.register(
    LIVE_ROUTER,
    liveRouterKind({ read() {}, follow() {}, orders: system.refs(ORDER) }),
  );
  const router = system.ref(LIVE_ROUTER, LIVE_ROUTER_ID);
  system.register(REGION, regionActorKind((record) => router.tell({ type: "fix", record })));
  system.register(ORDER, {
    create: (id) => ({
      receive: (m) => {
        if (m.type === "location") told.push([id, m.record.ts]);
      },
    }),
  });
  const region = system.ref(REGION, "1");
  const latest = (driverId: string) =>
    region.ask<LocationRecord | undefined>((replyTo) => ({ type: "latest", driverId, replyTo }));
  const watch = (orderId: string, driverId: string, partitions: number[]) =>
    router.tell({ type: "watch", orderId, driverId, partitions });
  return { watch, system, told, region, latest };
}

Deno.test("RegionActor keeps the newest position per driver and ignores a late older one", async () => {
  const { system, region, latest } = setup();
  region.tell({ type: "records", records: [fix("a", 100, 1), fix("a", 300, 3), fix("b", 50, 1)] });
  region.tell({ type: "records", records: [fix("a", 200, 2)] });
  assert.equal((await latest("a"))?.ts, 300);
  assert.equal(await latest("zzz"), undefined);
  await system.shutdown();
});

Deno.test("RegionActor hands each newer fix, through the live router, to the orders watching its driver, and nothing else", async () => {
  const { watch, system, told, region, latest } = setup();
  watch("o1", "a", [1]);
  watch("o2", "a", [1]);
  region.tell({
    type: "records",
    records: [fix("a", 100, 1), fix("b", 100, 1), fix("a", 90, 2), fix("a", 200, 3)],
  });
  await latest("a");
  await system.settled();
  assert.deepEqual(told.sort(), [["o1", 100], ["o1", 200], ["o2", 100], ["o2", 200]]);
  await system.shutdown();
});
