import assert from "node:assert/strict";
import {
  DAY_MS,
  dayPartitionName,
  dayRefusal,
  daysOf,
  isMissingPartition,
  parsePartitionName,
  pastRetention,
  utcDayStart,
} from "./history_partitions.ts";

const D = Date.UTC(2026, 10, 29); // 2026-11-29T00:00Z

Deno.test("utcDayStart rounds down to 00:00 UTC, before 1970 too", () => {
  assert.equal(utcDayStart(D), D);
  assert.equal(utcDayStart(D + DAY_MS - 1), D);
  assert.equal(utcDayStart(-1), -DAY_MS);
  assert.deepEqual(daysOf([D + 5, D + DAY_MS, D + 1]), [D, D + DAY_MS]);
});

Deno.test("dayPartitionName and parsePartitionName follow driver_locations_pYYYYMMDD", () => {
  assert.equal(dayPartitionName(D), "driver_locations_p20261129");
  assert.equal(dayPartitionName(Date.UTC(2027, 0, 1)), "driver_locations_p20270101");
  assert.deepEqual(parsePartitionName("driver_locations_p20261129"), {
    name: "driver_locations_p20261129",
    dayStart: D,
  });
  assert.throws(() => dayPartitionName(D + 1), RangeError);
  for (const name of ["driver_locations_p20261131", "driver_locations_old", "x_p20261129"]) {
    assert.equal(parsePartitionName(name), undefined, name);
  }
});

Deno.test("a day is past retention once it ended retentionDays before now", () => {
  const now = D + 12 * 3_600_000;
  assert.equal(pastRetention(D - 30 * DAY_MS, now, 30), false); // ended 29.5 days ago
  assert.equal(pastRetention(D - 31 * DAY_MS, now, 30), true); // ended 30.5 days ago
  assert.equal(pastRetention(D - 30 * DAY_MS, D + DAY_MS, 30), true); // ended exactly 30 days ago
});

Deno.test("dayRefusal names HISTORY_RETENTION_DAYS for an old day and the 3-day limit ahead", () => {
  const now = D + 12 * 3_600_000;
  const window = { now, retentionDays: 30 };
  assert.equal(dayRefusal(D - 30 * DAY_MS, window), undefined);
  assert.match(dayRefusal(D - 31 * DAY_MS, window)!, /HISTORY_RETENTION_DAYS=30/);
  assert.equal(dayRefusal(D - 3_000 * DAY_MS, { now }), undefined); // no retention given
  assert.equal(dayRefusal(D + 4 * DAY_MS - 1, window), undefined);
  assert.match(dayRefusal(D + 4 * DAY_MS, window)!, /more than 3 days ahead/);
  assert.match(dayRefusal(8.64e15 + 1, window)!, /more than 3 days ahead/);
  assert.match(dayRefusal(-5, window)!, /after 1970/);
});

Deno.test("isMissingPartition knows PostgreSQL's no-partition error and nothing else", () => {
  const missing = Object.assign(new Error('no partition of relation "driver_locations" found'), {
    code: "23514",
  });
  assert.equal(isMissingPartition(missing), true);
  assert.equal(isMissingPartition(Object.assign(new Error("check"), { code: "23514" })), false);
  assert.equal(isMissingPartition(undefined), false);
});
