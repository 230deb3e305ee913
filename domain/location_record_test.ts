import assert from "node:assert/strict";
import {
  decodeLocationRecord,
  encodeLocationRecord,
  fixRecord,
  type LocationRecord,
  locationRecordSchema,
} from "./location_record.ts";

const VALID: LocationRecord = {
  driverId: "d1",
  seq: 1_732_400_000_000,
  ts: 1_732_399_999_000,
  lat: 12.97,
  lon: 77.59,
  speed: 8.5,
  heading: 270,
  accuracy: 5,
  region: "south",
  receivedAt: 1_732_400_000_000,
};

/** Values each field is tried with: valid ones, and every kind of wrong one. */
const CANDIDATES: unknown[] = [
  undefined,
  null,
  0,
  -1,
  1.5,
  90,
  -90,
  90.0001,
  -180,
  180.5,
  2 ** 53,
  1e308,
  "",
  "x",
  "12",
  true,
  [],
  {},
  [1],
];

function outcome(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: decodeLocationRecord(text) };
  } catch {
    return { ok: false };
  }
}

Deno.test("decodeLocationRecord accepts and returns exactly what locationRecordSchema does", () => {
  let accepted = 0, rejected = 0;
  const check = (candidate: unknown) => {
    const text = JSON.stringify(candidate);
    const zod = locationRecordSchema.safeParse(JSON.parse(text));
    const ours = outcome(text);
    assert.equal(ours.ok, zod.success, `ok for ${text}`);
    if (ours.ok && zod.success) {
      assert.deepEqual(ours.value, zod.data, `value for ${text}`);
      accepted++;
    } else rejected++;
  };
  check(VALID);
  check({ ...VALID, extra: "dropped" });
  const { speed: _s, heading: _h, accuracy: _a, ...required } = VALID;
  check(required);
  for (const key of Object.keys(VALID)) {
    for (const value of CANDIDATES) {
      check({ ...VALID, [key]: value });
      check({ ...required, [key]: value });
    }
  }
  for (const other of [null, 1, "x", [], [VALID]]) check(other);
  assert.ok(accepted > 20 && rejected > 100, `${accepted} accepted, ${rejected} rejected`);
});

Deno.test("decodeLocationRecord round-trips encodeLocationRecord and throws on bad JSON", () => {
  assert.deepEqual(decodeLocationRecord(encodeLocationRecord(VALID)), VALID);
  assert.throws(() => decodeLocationRecord("{nope"), SyntaxError);
  assert.throws(() => decodeLocationRecord(JSON.stringify({ ...VALID, lat: 91 })), /lat/);
});

Deno.test("fixRecord keeps the measurements a fix has and leaves out the ones it has not", () => {
  const at = { driverId: "d1", seq: 7, region: "north", receivedAt: 1_700_000_000_500 };
  const fix = { ts: 1_700_000_000_000, lat: 12.9, lon: 77.6 };
  const plain = fixRecord(fix, at.driverId, at.seq, at.region, at.receivedAt);
  assert.deepEqual(plain, { ...at, ...fix });
  assert.ok(!("speed" in plain) && !("heading" in plain) && !("accuracy" in plain));
  const full = fixRecord(
    { ...fix, speed: 0, heading: 90, accuracy: 4 },
    "d1",
    7,
    "north",
    at.receivedAt,
  );
  assert.deepEqual(full, { ...at, ...fix, speed: 0, heading: 90, accuracy: 4 });
  assert.deepEqual(decodeLocationRecord(encodeLocationRecord(full)), full);
});
