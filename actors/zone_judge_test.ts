import assert from "node:assert/strict";
import { METERS_PER_DEGREE } from "../domain/zone_geometry.ts";
import type { Zone } from "../domain/zone.ts";
import { ZoneIndex } from "./zone_index.ts";
import { ZoneJudge } from "./zone_judge.ts";

const lat0 = 12.95, lon0 = 77.6;
const dLon = (m: number) => m / (METERS_PER_DEGREE * Math.cos(lat0 * Math.PI / 180));
const dLat = (m: number) => m / METERS_PER_DEGREE;
const rules = { enterMarginM: 10, exitMarginM: 20 };

function squareZone(id: string, westLon: number, dwellSeconds = 600): Zone {
  const ring = [[0, 0], [200, 0], [200, 200], [0, 200], [0, 0]]
    .map(([x, y]) => [westLon + dLon(x!), lat0 + dLat(y!)]);
  return {
    id,
    name: `zone ${id}`,
    restaurantId: null,
    shape: { type: "Polygon", coordinates: [ring] },
    dwellSeconds,
    createdBy: "ops:o",
    createdAt: 0,
  };
}

/** A fix `east` metres east of the square's west edge, halfway up, at second `i`. */
const fix = (east: number, i: number) => ({
  driverId: "d1",
  ts: 1_000_000 + i * 1_000,
  lat: lat0 + dLat(100),
  lon: lon0 + dLon(east),
});

Deno.test("ZoneJudge: a driver jittering across a zone's edge makes one enter and one exit", () => {
  const index = new ZoneIndex([squareZone("z1", lon0)], rules.exitMarginM);
  const judge = new ZoneJudge(rules);
  // Metres east of the edge (positive = inside): jitter of ±8 m around it, in, jitter, out.
  const path = [-60, -8, 5, -6, 8, -3, 40, 6, -7, 9, -12, 4, -9, -30, -80, 3, -5];
  const events = path.flatMap((east, i) => judge.judge(fix(east, i), index));
  assert.deepEqual(events.map((e) => `${e.kind}:${e.episode}`), ["enter:1", "exit:1"]);
  assert.equal(events[0]!.ts, fix(40, 6).ts, "enters when inside by more than the margin");
  assert.equal(events[1]!.ts, fix(-30, 13).ts, "exits when outside by more than the margin");
  assert.equal(events[0]!.id, "z1:d1:enter:1");
  assert.equal(judge.inside("d1"), false);
});

Deno.test("ZoneJudge: a driver far from a zone it is inside exits (no candidate there)", () => {
  const index = new ZoneIndex([squareZone("z1", lon0)], rules.exitMarginM);
  const judge = new ZoneJudge(rules);
  judge.judge(fix(100, 0), index);
  const far = judge.judge({ ...fix(0, 1), lon: lon0 + 1 }, index);
  assert.deepEqual(far.map((e) => e.kind), ["exit"]);
});

Deno.test("ZoneJudge: resumes from loaded presences, dwell once, with only the changes kept", () => {
  const index = new ZoneIndex([squareZone("z1", lon0, 2)], rules.exitMarginM);
  const judge = new ZoneJudge(rules);
  judge.load([{
    zoneId: "z1",
    driverId: "d1",
    episode: 4,
    inside: true,
    enteredTs: fix(0, 0).ts,
    dwelt: false,
    lastTs: fix(0, 0).ts,
  }]);
  const events = [0, 1, 2, 3, 4].flatMap((i) => judge.judge(fix(100, i), index));
  assert.deepEqual(events.map((e) => `${e.kind}:${e.episode}`), ["dwell:4"]);
  const changes = judge.takeChanges();
  assert.equal(changes.length, 1);
  assert.equal(changes[0]!.dwelt, true);
  assert.deepEqual(judge.takeChanges(), []);
});

Deno.test("ZoneJudge: only zones near the fix are tested, among many", () => {
  const zones = Array.from({ length: 1_000 }, (_, i) => squareZone(`z${i}`, lon0 + i * 0.01));
  const index = new ZoneIndex(zones, rules.exitMarginM);
  assert.equal(index.candidates(lat0 + dLat(100), lon0 + 0.05 + dLon(100)).length, 1);
  const judge = new ZoneJudge(rules);
  const events = judge.judge({ ...fix(100, 0), lon: lon0 + 0.05 + dLon(100) }, index);
  assert.deepEqual(events.map((e) => e.zoneId), ["z5"]);
});
