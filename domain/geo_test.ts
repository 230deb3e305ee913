import assert from "node:assert/strict";
import { haversineMeters } from "./geo.ts";

Deno.test("haversineMeters measures one degree of latitude as about 111 km", () => {
  const d = haversineMeters(12, 77, 13, 77);
  assert.ok(Math.abs(d - 111_195) < 50, `got ${d}`);
});

Deno.test("haversineMeters is zero for the same point and symmetric", () => {
  assert.equal(haversineMeters(12.97, 77.59, 12.97, 77.59), 0);
  assert.equal(haversineMeters(1, 2, 3, 4), haversineMeters(3, 4, 1, 2));
});
