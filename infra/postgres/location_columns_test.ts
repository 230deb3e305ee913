import assert from "node:assert/strict";
import type { LocationRecord } from "../../domain/location_record.ts";
import { toLocationColumns } from "./location_columns.ts";

const row: LocationRecord = {
  driverId: "d1",
  seq: 7,
  ts: 1_732_400_000_000,
  lat: 12.97,
  lon: 77.59,
  speed: 8.3,
  region: "blr",
  receivedAt: 1_732_400_000_123,
};

Deno.test("toLocationColumns makes one array per column, with null for missing measurements", () => {
  const c = toLocationColumns([row, { ...row, ts: row.ts + 1, speed: undefined, heading: 90 }]);
  assert.deepEqual(c.driverId, ["d1", "d1"]);
  assert.deepEqual(c.ts, [row.ts, row.ts + 1]);
  assert.deepEqual(c.speed, [8.3, null]);
  assert.deepEqual(c.heading, [null, 90]);
  assert.deepEqual(c.accuracy, [null, null]);
  assert.deepEqual(c.receivedAt, [row.receivedAt, row.receivedAt]);
});

Deno.test("toLocationColumns rejects a fractional ts and names the row", () => {
  assert.throws(() => toLocationColumns([row, { ...row, ts: 1.5 }]), /row 1/);
});

Deno.test("toLocationColumns rejects a non-finite latitude", () => {
  assert.throws(() => toLocationColumns([{ ...row, lat: Number.NaN }]), RangeError);
});

Deno.test("toLocationColumns stores a non-finite speed as null", () => {
  assert.deepEqual(toLocationColumns([{ ...row, speed: Number.POSITIVE_INFINITY }]).speed, [null]);
});
