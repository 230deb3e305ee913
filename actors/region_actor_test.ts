import assert from "node:assert/strict";
import { RegionActor } from "./region_actor.ts";
import type { LocationRecord } from "../infra/kafka/location_record.ts";

const fix = (driverId: string, ts: number, seq: number): LocationRecord => ({
  driverId,
  seq,
  ts,
  lat: 12.9,
  lon: 77.6,
  region: "south",
  receivedAt: ts,
});

Deno.test("RegionActor keeps the newest position per driver and ignores a late older one", () => {
  const actor = new RegionActor();
  actor.receive({
    type: "records",
    records: [fix("a", 100, 1), fix("a", 300, 3), fix("b", 50, 1)],
  });
  actor.receive({ type: "records", records: [fix("a", 200, 2)] });
  let seen: LocationRecord | undefined;
  actor.receive({ type: "latest", driverId: "a", replyTo: (r) => seen = r });
  assert.equal(seen?.ts, 300);
  actor.receive({ type: "latest", driverId: "zzz", replyTo: (r) => seen = r });
  assert.equal(seen, undefined);
});
