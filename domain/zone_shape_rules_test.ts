import assert from "node:assert/strict";
import { shapeProblem } from "./zone_shape_rules.ts";

const square = [[77.6, 12.95], [77.602, 12.95], [77.602, 12.952], [77.6, 12.952], [77.6, 12.95]];

Deno.test("shapeProblem accepts a closed square and a circle", () => {
  assert.equal(shapeProblem({ type: "Polygon", coordinates: [square] }), undefined);
  assert.equal(
    shapeProblem({ type: "Circle", lat: 12.95, lon: 77.6, radiusMeters: 100 }),
    undefined,
  );
});

Deno.test("shapeProblem names what is wrong with a polygon, and where", () => {
  const polygon = (ring: number[][]) => ({ type: "Polygon" as const, coordinates: [ring] });
  assert.deepEqual(shapeProblem(polygon(square.slice(0, 4))), {
    path: ["coordinates", 0, 3],
    message: "must equal the first position (a ring is closed)",
  });
  assert.match(shapeProblem(polygon(square.slice(0, 3)))!.message, /at least 4 positions/);
  const bowtie = [[77.6, 12.95], [77.602, 12.952], [77.602, 12.95], [77.6, 12.951], [77.6, 12.95]];
  assert.match(shapeProblem(polygon(bowtie))!.message, /cross itself/);
  const flat = [[77.6, 12.95], [77.601, 12.95], [77.602, 12.95], [77.6, 12.95]];
  assert.match(shapeProblem(polygon(flat))!.message, /enclose an area/);
  const swapped = square.map(([lon, lat]) => [lat!, lon! + 100]);
  assert.deepEqual(shapeProblem(polygon(swapped))!.path, ["coordinates", 0, 0]);
  const huge = [[77, 12], [78, 12], [78, 13], [77, 13], [77, 12]];
  assert.match(shapeProblem(polygon(huge))!.message, /at most 50000 m across/);
  assert.match(shapeProblem({ type: "Polygon", coordinates: [] })!.message, /1 to 20 rings/);
});

Deno.test("shapeProblem refuses a circle too small or off the globe", () => {
  const circle = { type: "Circle" as const, lat: 12.95, lon: 77.6, radiusMeters: 5 };
  assert.deepEqual(shapeProblem(circle)?.path, ["radiusMeters"]);
  assert.deepEqual(shapeProblem({ ...circle, radiusMeters: 100, lat: 91 })?.path, ["lat"]);
});
