import assert from "node:assert/strict";
import { OrderlessDrivers } from "./orderless_drivers.ts";

Deno.test("OrderlessDrivers remembers an answer and forgets a driver whose order changed", () => {
  const drivers = new OrderlessDrivers({ now: () => 0 });
  drivers.remember(["d1", "d2"], drivers.mark());
  assert.equal(drivers.has("d1"), true);
  assert.equal(drivers.has("d2"), true);
  assert.equal(drivers.has("d3"), false);
  drivers.forget("d1");
  assert.equal(drivers.has("d1"), false);
  assert.equal(drivers.has("d2"), true);
});

Deno.test("OrderlessDrivers keeps no answer asked before an order changed", () => {
  const drivers = new OrderlessDrivers({ now: () => 0 });
  const mark = drivers.mark();
  // The change is read while PostgreSQL is being asked: its answer may predate the change.
  drivers.forget("d9");
  drivers.remember(["d1"], mark);
  assert.equal(drivers.has("d1"), false);
  drivers.remember(["d1"], drivers.mark());
  assert.equal(drivers.has("d1"), true);
});

Deno.test("OrderlessDrivers forgets everything after maxAgeMs, and answers asked before", () => {
  let now = 1_000;
  const drivers = new OrderlessDrivers({ maxAgeMs: 100, now: () => now });
  drivers.remember(["d1"], drivers.mark());
  now = 1_099;
  const before = drivers.mark();
  assert.equal(drivers.has("d1"), true);
  now = 1_100;
  assert.notEqual(drivers.mark(), before);
  assert.equal(drivers.has("d1"), false);
  assert.equal(drivers.size, 0);
  drivers.remember(["d2"], before);
  assert.equal(drivers.has("d2"), false);
});

Deno.test("OrderlessDrivers remembers nothing asked while order changes were not read", () => {
  let reading = false;
  const drivers = new OrderlessDrivers({ now: () => 0, reading: () => reading });
  const early = drivers.mark();
  reading = true;
  drivers.remember(["d1"], early);
  assert.equal(drivers.has("d1"), false);
  drivers.remember(["d1"], drivers.mark());
  assert.equal(drivers.has("d1"), true);
});
