import assert from "node:assert/strict";
import { RegionOutlines } from "./region_outlines.ts";

const outlines = new RegionOutlines({
  catchAll: { partition: 2 },
  regions: [
    { name: "north", partition: 0, bbox: [77.45, 12.97, 77.75, 13.15] },
    { name: "south", partition: 1, bbox: [77.45, 12.85, 77.75, 12.97] },
  ],
});

Deno.test("RegionOutlines reads only the partition of a region that covers the viewport", () => {
  assert.deepEqual(outlines.partitionsFor([77.5, 13.0, 77.6, 13.1]), [0]);
});

Deno.test("RegionOutlines reads both regions and the catch-all for a viewport across them", () => {
  assert.deepEqual(outlines.partitionsFor([77.4, 12.9, 77.6, 13.0]), [0, 1, 2]);
});

Deno.test("RegionOutlines reads only the catch-all far away", () => {
  assert.deepEqual(outlines.partitionsFor([2.2, 48.8, 2.4, 48.9]), [2]);
});
