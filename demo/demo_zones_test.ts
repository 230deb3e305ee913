import assert from "node:assert/strict";
import { DemoZones, type ZoneOps } from "./demo_zones.ts";
import type { NewApiZone } from "./ops_client.ts";

class FakeZoneOps implements ZoneOps {
  made: NewApiZone[] = [];
  deleted: string[] = [];
  failNext = false;
  createZone(zone: NewApiZone): Promise<string> {
    if (this.failNext) {
      this.failNext = false;
      return Promise.reject(new Error("POST /zones: 503"));
    }
    this.made.push(zone);
    return Promise.resolve(`z${this.made.length}`);
  }
  deleteZone(id: string): Promise<void> {
    this.deleted.push(id);
    return Promise.resolve();
  }
}

const R1 = { id: "r1", lat: 12.97, lon: 77.6 };
const R2 = { id: "r2", lat: 12.98, lon: 77.61 };

Deno.test("DemoZones makes one circle per restaurant, with its id and dwell, and deletes them all at the end", async () => {
  const ops = new FakeZoneOps();
  const zones = new DemoZones(ops, { radiusM: 40, dwellSeconds: 10 });
  await Promise.all([zones.ensure(R1), zones.ensure(R1), zones.ensure(R2)]);
  await zones.ensure(R1);
  assert.deepEqual(ops.made, [
    {
      name: "r1 pickup",
      restaurantId: "r1",
      dwellSeconds: 10,
      circle: { lat: 12.97, lon: 77.6, radiusMeters: 40 },
    },
    {
      name: "r2 pickup",
      restaurantId: "r2",
      dwellSeconds: 10,
      circle: { lat: 12.98, lon: 77.61, radiusMeters: 40 },
    },
  ]);
  assert.equal(zones.count, 2);
  assert.equal(await zones.deleteAll(), 2);
  assert.deepEqual(ops.deleted.sort(), ["z1", "z2"]);
  assert.equal(zones.count, 0);
});

Deno.test("DemoZones reports a failed creation and tries again with the restaurant's next order", async () => {
  const ops = new FakeZoneOps();
  const errors: unknown[] = [];
  const zones = new DemoZones(ops, {
    radiusM: 40,
    dwellSeconds: 3,
    onError: (e) => errors.push(e),
  });
  ops.failNext = true;
  await zones.ensure(R1);
  assert.equal(errors.length, 1);
  assert.equal(zones.count, 0);
  await zones.ensure(R1);
  assert.equal(zones.count, 1);
  assert.equal(ops.made.length, 1);
});
