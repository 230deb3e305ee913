import assert from "node:assert/strict";
import { DAY_MS, partitionDay, partitionName, planLayout, shiftOf } from "./history_layout.ts";

const NOW = Date.UTC(2026, 10, 29, 17, 30);

Deno.test("planLayout: 50 M rows over 30 days are 2,315 one-hour shifts a day", () => {
  const l = planLayout({
    rows: 50_000_000,
    days: 30,
    drivers: 10_000,
    shiftMinutes: 60,
    nowMs: NOW,
  });
  assert.equal(l.firstDayMs, Date.UTC(2026, 9, 30));
  assert.equal(l.shiftFixes, 720);
  assert.equal(l.shiftsPerDay, 2315);
  assert.equal(l.rows, 30 * 2315 * 720);
});

Deno.test("planLayout refuses more shifts than the drivers can work in a day", () => {
  assert.throws(
    () => planLayout({ rows: 10_000_000, days: 3, drivers: 100, shiftMinutes: 60, nowMs: NOW }),
    RangeError,
  );
});

Deno.test("shiftOf: a driver's shifts on one day do not overlap and stay inside the day", () => {
  const l = planLayout({ rows: 200_000, days: 3, drivers: 10, shiftMinutes: 60, nowMs: NOW });
  assert.ok(l.shiftsPerDay > 10, "several shifts per driver");
  for (let day = 0; day < l.days; day++) {
    const byDriver = new Map<string, { startMs: number; endMs: number }[]>();
    for (let i = 0; i < l.shiftsPerDay; i++) {
      const s = shiftOf(l, day, i);
      assert.ok(
        s.startMs >= l.firstDayMs + day * DAY_MS && s.endMs <= l.firstDayMs + (day + 1) * DAY_MS,
      );
      byDriver.set(s.driverId, [...(byDriver.get(s.driverId) ?? []), s]);
    }
    for (const shifts of byDriver.values()) {
      shifts.sort((a, b) => a.startMs - b.startMs);
      shifts.slice(1).forEach((s, k) => assert.ok(s.startMs > shifts[k]!.endMs));
    }
  }
});

Deno.test("partitionName and partitionDay round-trip a UTC day", () => {
  const day = Date.UTC(2026, 0, 5);
  assert.equal(partitionName(day), "driver_locations_p20260105");
  assert.equal(partitionDay(partitionName(day)), day);
  assert.equal(partitionDay("driver_locations_default"), undefined);
});
