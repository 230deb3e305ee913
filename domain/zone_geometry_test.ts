import assert from "node:assert/strict";
import { METERS_PER_DEGREE, prepareShape } from "./zone_geometry.ts";

const lat0 = 12.95, lon0 = 77.6;
const dLon = (m: number) => m / (METERS_PER_DEGREE * Math.cos(lat0 * Math.PI / 180));
const dLat = (m: number) => m / METERS_PER_DEGREE;
// A 200 m square with its west edge at lon0.
const square = [
  [lon0, lat0],
  [lon0 + dLon(200), lat0],
  [lon0 + dLon(200), lat0 + dLat(200)],
  [lon0, lat0 + dLat(200)],
  [lon0, lat0],
];

Deno.test("prepareShape: a polygon's signed distance is minus inside, plus outside, in metres", () => {
  const shape = prepareShape({ type: "Polygon", coordinates: [square] });
  const at = (east: number) => shape.signedDistance(lat0 + dLat(100), lon0 + dLon(east));
  assert.ok(Math.abs(at(30) - -30) < 0.5, `${at(30)}`);
  assert.ok(Math.abs(at(-25) - 25) < 0.5, `${at(-25)}`);
  assert.ok(Math.abs(at(100) - -100) < 0.5, `${at(100)}`);
});

Deno.test("prepareShape: a hole is outside", () => {
  const hole = [
    [lon0 + dLon(50), lat0 + dLat(50)],
    [lon0 + dLon(150), lat0 + dLat(50)],
    [lon0 + dLon(150), lat0 + dLat(150)],
    [lon0 + dLon(50), lat0 + dLat(150)],
    [lon0 + dLon(50), lat0 + dLat(50)],
  ];
  const shape = prepareShape({ type: "Polygon", coordinates: [square, hole] });
  assert.ok(shape.signedDistance(lat0 + dLat(100), lon0 + dLon(100)) > 40);
  assert.ok(shape.signedDistance(lat0 + dLat(100), lon0 + dLon(25)) < -20);
});

Deno.test("prepareShape: a circle's signed distance and box", () => {
  const shape = prepareShape({ type: "Circle", lat: lat0, lon: lon0, radiusMeters: 100 });
  assert.ok(Math.abs(shape.signedDistance(lat0 + dLat(130), lon0) - 30) < 0.5);
  assert.ok(Math.abs(shape.signedDistance(lat0, lon0) - -100) < 0.01);
  const [w, s, e, n] = shape.bbox;
  assert.ok(
    w < lon0 - dLon(99) && e > lon0 + dLon(99) && s < lat0 - dLat(99) && n > lat0 + dLat(99),
  );
});
