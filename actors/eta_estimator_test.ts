import assert from "node:assert/strict";
import { ETA_DEFAULTS, etaChanged, StraightLineEta } from "./eta_estimator.ts";
import { haversineMeters } from "../domain/geo.ts";
import type { Eta } from "./order_protocol.ts";

const from = { lat: 12.9716, lon: 77.5946 };
const to = { lat: 12.9816, lon: 77.6046 };
const meters = haversineMeters(from.lat, from.lon, to.lat, to.lon);

Deno.test("StraightLineEta divides the haversine distance by the speed, rounding seconds up", () => {
  const eta = new StraightLineEta().estimate(from, to, 10);
  assert.equal(eta.seconds, Math.ceil(meters / 10));
  assert.equal(eta.distanceMeters, Math.round(meters));
  assert.ok(eta.seconds >= meters / 10);
});

Deno.test("StraightLineEta rounds a fraction of a second up to a whole second", () => {
  const near = { lat: from.lat + 0.0001, lon: from.lon }; // about 11.1 m
  assert.equal(new StraightLineEta().estimate(from, near, 10).seconds, 2);
});

Deno.test("StraightLineEta uses the default city speed when standing still or the speed is unknown", () => {
  const estimator = new StraightLineEta();
  const expected = Math.ceil(meters / ETA_DEFAULTS.defaultSpeedMps);
  for (const speed of [0, 0.5, undefined, Number.NaN, -3, Number.POSITIVE_INFINITY]) {
    assert.equal(estimator.estimate(from, to, speed).seconds, expected, `speed ${speed}`);
  }
  assert.equal(
    estimator.estimate(from, to, ETA_DEFAULTS.standingStillMps).seconds,
    Math.ceil(meters),
  );
});

Deno.test("StraightLineEta defaults are 1 m/s standing still, 6 m/s city speed, 15 s or 10 %", () => {
  assert.deepEqual(ETA_DEFAULTS, {
    standingStillMps: 1,
    defaultSpeedMps: 6,
    minSeconds: 15,
    minShare: 0.1,
  });
});

Deno.test("StraightLineEta takes its settings from options", () => {
  const estimator = new StraightLineEta({ standingStillMps: 3, defaultSpeedMps: 12 });
  assert.equal(estimator.estimate(from, to, 2).seconds, Math.ceil(meters / 12));
  assert.equal(estimator.estimate(from, to, 4).seconds, Math.ceil(meters / 4));
});

Deno.test("StraightLineEta is zero seconds and metres at the target", () => {
  assert.deepEqual(new StraightLineEta().estimate(from, from, 5), {
    seconds: 0,
    distanceMeters: 0,
  });
});

Deno.test("StraightLineEta rejects a non-positive default speed with RangeError", () => {
  assert.throws(() => new StraightLineEta({ defaultSpeedMps: 0 }), RangeError);
  assert.throws(() => new StraightLineEta({ standingStillMps: -1 }), RangeError);
});

const eta = (seconds: number, target: Eta["target"] = "dropoff"): Eta => ({
  target,
  seconds,
  distanceMeters: seconds * 6,
});

Deno.test("etaChanged is true when there was no ETA before", () => {
  assert.equal(etaChanged(null, eta(100)), true);
});

Deno.test("etaChanged is true when the target changes, whatever the seconds", () => {
  assert.equal(etaChanged(eta(100, "pickup"), eta(100, "dropoff")), true);
});

Deno.test("etaChanged needs at least 15 s on a short ETA", () => {
  assert.equal(etaChanged(eta(100), eta(86)), false);
  assert.equal(etaChanged(eta(100), eta(85)), true);
  assert.equal(etaChanged(eta(100), eta(115)), true);
});

Deno.test("etaChanged needs at least 10 % on a long ETA", () => {
  assert.equal(etaChanged(eta(1000), eta(901)), false);
  assert.equal(etaChanged(eta(1000), eta(900)), true);
  assert.equal(etaChanged(eta(1000), eta(1100)), true);
});

Deno.test("etaChanged takes its thresholds from rules", () => {
  assert.equal(etaChanged(eta(100), eta(95), { minSeconds: 5, minShare: 0 }), true);
  assert.equal(etaChanged(eta(100), eta(95), { minSeconds: 5 }), false);
  assert.equal(etaChanged(eta(100), eta(95), { minSeconds: 1, minShare: 0.5 }), false);
});
