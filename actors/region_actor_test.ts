import assert from "node:assert/strict";
import { regionActorKind, type RegionMessage } from "./region_actor.ts";
import { WatchIndex } from "./watch_index.ts";
import type { OrderMessage } from "./order_actor.ts";
import { ActorSystem } from "./runtime/mod.ts";
import type { LocationRecord } from "../domain/location_record.ts";

const fix = (driverId: string, ts: number, seq: number): LocationRecord => ({
  driverId,
  seq,
  ts,
  lat: 12.9,
  lon: 77.6,
  region: "south",
  receivedAt: ts,
});

function setup() {
  const watch = new WatchIndex();
  const system = new ActorSystem();
  const told: [string, number][] = [];
  system.register<RegionMessage>("region", regionActorKind(watch));
  system.register<OrderMessage>("order", {
    create: (id) => ({
      receive: (m) => {
        if (m.type === "location") told.push([id, m.record.ts]);
      },
    }),
  });
  const region = system.ref<RegionMessage>("region", "1");
  const latest = (driverId: string) =>
    region.ask<LocationRecord | undefined>((replyTo) => ({ type: "latest", driverId, replyTo }));
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

Deno.test("RegionActor hands each newer fix to the orders watching its driver, and nothing else", async () => {
  const { watch, system, told, region, latest } = setup();
  watch.set("o1", "a", [1]);
  watch.set("o2", "a", [1]);
  region.tell({
    type: "records",
    records: [fix("a", 100, 1), fix("b", 100, 1), fix("a", 90, 2), fix("a", 200, 3)],
  });
  await latest("a");
  await system.settled();
  assert.deepEqual(told.sort(), [["o1", 100], ["o1", 200], ["o2", 100], ["o2", 200]]);
  await system.shutdown();
});
