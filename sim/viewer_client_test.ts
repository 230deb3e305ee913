import assert from "node:assert/strict";
import { BENGALURU_AREA } from "./area.ts";
import { viewerOrder } from "./viewer_client.ts";

Deno.test("viewerOrder puts the pickup in the south region and the drop-off in the north one", () => {
  const a = BENGALURU_AREA;
  for (let i = 0; i < 200; i++) {
    const o = viewerOrder(i, "p");
    assert.equal(o.customerId, `p-customer-${i}`);
    assert.match(o.restaurantId, /^p-restaurant-\d$/);
    assert.ok(o.pickup.lat > a.minLat && o.pickup.lat < a.splitLat, `pickup ${o.pickup.lat}`);
    assert.ok(o.dropoff.lat >= a.splitLat && o.dropoff.lat < a.maxLat, `drop-off ${o.dropoff.lat}`);
    for (const p of [o.pickup, o.dropoff]) assert.ok(p.lon > a.minLon && p.lon < a.maxLon);
  }
  assert.deepEqual(viewerOrder(7, "p"), viewerOrder(7, "p"), "seeded per viewer");
});
