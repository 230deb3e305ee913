import assert from "node:assert/strict";
import { type TrackedOrder, trackWindow } from "./track_window.ts";

const T = 1_795_958_700_000;
const ORDER: TrackedOrder = { status: "assigned", driverId: "d1", createdAt: T, updatedAt: T + 5 };
const NONE = { assignedAt: null, pickedUpAt: null, deliveredAt: null };

Deno.test("trackWindow runs from assignment to now while the order is under way", () => {
  const times = { ...NONE, assignedAt: T + 10 };
  assert.deepEqual(trackWindow(ORDER, times, T + 99), { driverId: "d1", from: T + 10, to: T + 99 });
  const picked = { ...ORDER, status: "picked_up" };
  assert.deepEqual(trackWindow(picked, { ...times, pickedUpAt: T + 50 }, T + 99)?.to, T + 99);
});

Deno.test("trackWindow ends a delivered order at its delivery", () => {
  const order = { ...ORDER, status: "delivered", updatedAt: T + 80 };
  const times = { assignedAt: T + 10, pickedUpAt: T + 50, deliveredAt: T + 70 };
  assert.deepEqual(trackWindow(order, times, T + 999), {
    driverId: "d1",
    from: T + 10,
    to: T + 70,
  });
});

Deno.test("trackWindow: no driver, no track; a cancelled order ends at its last change", () => {
  assert.equal(trackWindow({ ...ORDER, driverId: null, status: "created" }, NONE, T), undefined);
  const cancelled = { ...ORDER, status: "cancelled", updatedAt: T + 40 };
  assert.deepEqual(trackWindow(cancelled, { ...NONE, assignedAt: T + 10 }, T + 999)?.to, T + 40);
});

Deno.test("trackWindow falls back to createdAt and updatedAt for orders without step times", () => {
  const order = { ...ORDER, status: "delivered", updatedAt: T + 80 };
  assert.deepEqual(trackWindow(order, NONE, T + 999), { driverId: "d1", from: T, to: T + 80 });
});
