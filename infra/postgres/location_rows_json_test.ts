import assert from "node:assert/strict";
import type { LocationRecord } from "../../domain/location_record.ts";
import { locationRowsJson } from "./location_rows_json.ts";

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

Deno.test("locationRowsJson keeps every value exactly; a missing measurement is absent (NULL)", () => {
  const rows = [row, { ...row, ts: row.ts + 1, speed: undefined, heading: 90, lat: 0.1 + 0.2 }];
  const back = JSON.parse(locationRowsJson(rows));
  assert.deepEqual(back[0], row);
  assert.equal(back[1].lat, 0.1 + 0.2, "a float comes back to the same double");
  assert.equal("speed" in back[1], false);
  assert.equal(back[1].heading, 90);
});

Deno.test("locationRowsJson rejects a fractional ts and names the row", () => {
  assert.throws(() => locationRowsJson([row, { ...row, ts: 1.5 }]), /row 1/);
});

Deno.test("locationRowsJson rejects a non-finite latitude", () => {
  assert.throws(() => locationRowsJson([{ ...row, lat: Number.NaN }]), RangeError);
});

Deno.test("locationRowsJson stores a non-finite speed as null", () => {
  assert.equal(
    JSON.parse(locationRowsJson([{ ...row, speed: Number.POSITIVE_INFINITY }]))[0].speed,
    null,
  );
});
