import assert from "node:assert/strict";
import { withinRetention } from "./history_retention.ts";

const NOW = Date.UTC(2026, 10, 29, 12);
const DAY = 86_400_000;

Deno.test("withinRetention leaves a recent range alone, with no note", () => {
  assert.deepEqual(withinRetention({ from: NOW - DAY, to: NOW }, 30, NOW), {
    from: NOW - DAY,
    to: NOW,
    empty: false,
  });
});

Deno.test("withinRetention starts an open range at the oldest retained time, with no note", () => {
  assert.deepEqual(withinRetention({}, 30, NOW), { from: NOW - 30 * DAY, empty: false });
});

Deno.test("withinRetention cuts a range that starts before the window and says so", () => {
  const cut = withinRetention({ from: NOW - 40 * DAY, to: NOW }, 30, NOW);
  assert.equal(cut.from, NOW - 30 * DAY);
  assert.equal(cut.empty, false);
  assert.deepEqual(cut.note, { days: 30, oldest: "2026-10-30T12:00:00.000Z" });
});

Deno.test("withinRetention makes a range entirely older than the window empty, with a note", () => {
  const cut = withinRetention({ to: NOW - 31 * DAY }, 30, NOW);
  assert.equal(cut.empty, true);
  assert.deepEqual(cut.note, { days: 30, oldest: "2026-10-30T12:00:00.000Z" });
});

Deno.test("withinRetention refuses a retention that is not a positive whole number of days", () => {
  assert.throws(() => withinRetention({}, 0, NOW), RangeError);
  assert.throws(() => withinRetention({}, 1.5, NOW), RangeError);
});
