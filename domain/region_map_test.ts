import assert from "node:assert/strict";
import { RegionMap } from "./region_map.ts";

Deno.test("RegionMap supports polygons", () => {
  const map = new RegionMap({
    catchAll: { name: "rest", partition: 0 },
    regions: [{ name: "tri", partition: 1, polygon: [[0, 0], [10, 0], [0, 10]] }],
  });
  assert.equal(map.locate(2, 2).name, "tri");
  assert.equal(map.locate(8, 8).name, "rest");
});

Deno.test("RegionMap rejects a region with neither bbox nor polygon", () => {
  assert.throws(
    () =>
      new RegionMap({
        catchAll: { name: "x", partition: 0 },
        regions: [{ name: "y", partition: 1 }],
      }),
    TypeError,
  );
});
