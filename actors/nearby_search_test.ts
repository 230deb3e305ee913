import assert from "node:assert/strict";
import { FleetIndex } from "./fleet_index.ts";
import { nearbyDrivers, type NearbyQuery, searchBoxes } from "./nearby_search.ts";

const NOW = 1_800_000_000_000;
const HERE = { lat: 12.97, lon: 77.59 };
const query = (over: Partial<NearbyQuery> = {}): NearbyQuery => ({
  ...HERE,
  radiusM: 2_000,
  limit: 10,
  state: "any",
  ...over,
});
/** A fix `north` metres north of HERE (one degree of latitude is about 111,195 m). */
const fix = (driverId: string, north: number, ts = NOW - 1_000) => ({
  driverId,
  lat: HERE.lat + north / 111_195,
  lon: HERE.lon,
  ts,
});
const ids = (index: FleetIndex, q: NearbyQuery, maxAgeMs = 60_000) =>
  nearbyDrivers(index, q, { now: NOW, maxAgeMs }).map((d) => d.driverId);

Deno.test("nearbyDrivers answers the drivers within the radius, nearest first, with distance and age", () => {
  const index = new FleetIndex();
  index.update([fix("far", 1_500), fix("near", 100), fix("mid", -700), fix("out", 2_500)]);
  const found = nearbyDrivers(index, query(), { now: NOW, maxAgeMs: 60_000 });
  assert.deepEqual(found.map((d) => d.driverId), ["near", "mid", "far"]);
  assert.ok(Math.abs(found[0]!.distanceM - 100) < 1, `100 m, got ${found[0]!.distanceM}`);
  assert.equal(found[0]!.ageMs, 1_000);
  assert.equal(found[0]!.state, "idle");
});

Deno.test("nearbyDrivers keeps the limit, leaves out stale fixes and filters by state", () => {
  const index = new FleetIndex();
  index.update([fix("a", 10), fix("b", 20), fix("stale", 5, NOW - 61_000), fix("busy", 1)]);
  index.setState("busy", "to_pickup");
  assert.deepEqual(ids(index, query({ limit: 2 })), ["busy", "a"]);
  assert.deepEqual(ids(index, query({ state: "idle" })), ["a", "b"]);
  assert.deepEqual(ids(index, query({ state: "to_pickup" })), ["busy"]);
  assert.deepEqual(ids(index, query({ state: "carrying" })), []);
  assert.deepEqual(ids(index, query(), 120_000), ["busy", "stale", "a", "b"]);
});

Deno.test("nearbyDrivers follows a driver that moved, and forgets one that expired", () => {
  const index = new FleetIndex();
  index.update([fix("a", 100)]);
  index.update([fix("a", 5_000, NOW - 500)]);
  assert.deepEqual(ids(index, query()), []);
  assert.deepEqual(ids(index, query({ radiusM: 6_000 })), ["a"]);
  index.expire(NOW + 120_000, 60_000);
  assert.deepEqual(ids(index, query({ radiusM: 6_000 })), []);
  assert.equal(index.size, 0);
});

Deno.test("searchBoxes splits at the antimeridian and widens near a pole", () => {
  assert.equal(searchBoxes(0, 179.99, 5_000).length, 2);
  assert.equal(searchBoxes(0, -179.99, 5_000).length, 2);
  const [polar, ...rest] = searchBoxes(89.99, 0, 5_000);
  assert.deepEqual([polar![0], polar![2], polar![3], rest.length], [-180, 180, 90, 0]);
  const index = new FleetIndex();
  index.update([{ driverId: "east", lat: 0, lon: -179.995, ts: NOW }]);
  const found = nearbyDrivers(index, {
    lat: 0,
    lon: 179.995,
    radiusM: 5_000,
    limit: 5,
    state: "any",
  }, {
    now: NOW,
    maxAgeMs: 60_000,
  });
  assert.deepEqual(found.map((d) => d.driverId), ["east"]);
});
