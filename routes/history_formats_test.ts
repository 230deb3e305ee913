import assert from "node:assert/strict";
import { historyFeature, historyGpx } from "./history_formats.ts";
import type { LocationRecord } from "../domain/location_record.ts";

const BASE: LocationRecord = {
  driverId: "d1",
  seq: 1,
  ts: 1_795_958_700_000,
  lat: 12.9,
  lon: 77.6,
  region: "south",
  receivedAt: 1_795_958_700_100,
};

/** The `lat` and `lon` attributes of every `<trkpt>`. */
function _trkpts(gpx: string): string[][] {
  return [...gpx.matchAll(/<trkpt lat="([^"]*)" lon="([^"]*)">/g)].map((m) => [m[1]!, m[2]!]);
}

Deno.test("historyGpx writes small and odd coordinates as plain decimals, never in exponent form", () => {
  const points: [number, number, string, string][] = [
    [1e-7, -2.5e-7, "0.0000001", "-0.00000025"],
    [-1.234e-10, 5e-324, "-0.0000000001234", `0.${"0".repeat(323)}5`],
    [12.97, 77.59, "12.97", "77.59"],
    [-90, 180, "-90", "180"],
    [0, -0, "0", "0"],
    [0.000001, 0.1 + 0.2, "0.000001", "0.30000000000000004"],
  ];
  const gpx = historyGpx(
    points.map(([lat, lon], i) => ({ ...BASE, seq: i + 1, ts: BASE.ts + i, lat, lon })),
    { driverId: "d1", next: null },
  );
  assert.deepEqual(_trkpts(gpx), points.map(([, , lat, lon]) => [lat, lon]));
  for (const [lat, lon] of _trkpts(gpx)) {
    assert.match(lat!, /^-?\d+(\.\d+)?$/);
    assert.match(lon!, /^-?\d+(\.\d+)?$/);
    assert.equal(Number(lat), points.find(([, , l]) => l === lat)![0]);
  }
});

Deno.test("historyFeature keeps coordinates as JSON numbers: 1e-7 is valid JSON and reads back the same", () => {
  const feature = historyFeature(
    [{ ...BASE, lat: 1e-7, lon: -2.5e-7 }, { ...BASE, seq: 2, ts: BASE.ts + 1 }],
    { driverId: "d1", next: null },
  );
  assert.deepEqual(JSON.parse(JSON.stringify(feature)).geometry.coordinates[0], [-2.5e-7, 1e-7]);
});
