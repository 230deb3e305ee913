import assert from "node:assert/strict";
import { RegionMap } from "./region_map.ts";

const defaults = new URL("./default_regions.json", import.meta.url).pathname;

Deno.test("RegionMap places Bengaluru points north or south and the rest in the catch-all", async () => {
  const map = await RegionMap.load(defaults);
  assert.deepEqual(map.locate(13.05, 77.6), { name: "north", partition: 0 });
  assert.deepEqual(map.locate(12.9, 77.6), { name: "south", partition: 1 });
  assert.deepEqual(map.locate(19.07, 72.87), { name: "other", partition: 2 });
  assert.equal(map.partitionCount, 3);
});

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
