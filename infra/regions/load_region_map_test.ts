import assert from "node:assert/strict";
import { loadRegionMap } from "./load_region_map.ts";

const defaults = new URL("./default_regions.json", import.meta.url).pathname;

Deno.test("RegionMap places Bengaluru points north or south and the rest in the catch-all", async () => {
  const map = await loadRegionMap(defaults);
  assert.deepEqual(map.locate(13.05, 77.6), { name: "north", partition: 0 });
  assert.deepEqual(map.locate(12.9, 77.6), { name: "south", partition: 1 });
  assert.deepEqual(map.locate(19.07, 72.87), { name: "other", partition: 2 });
  assert.equal(map.partitionCount, 3);
});
