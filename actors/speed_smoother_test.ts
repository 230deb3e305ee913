import assert from "node:assert/strict";
import { haversineMeters } from "../domain/geo.ts";
import { SPEED_SMOOTHER_DEFAULTS, SpeedSmoother } from "./speed_smoother.ts";

const close = (actual: number | undefined, expected: number) =>
  assert.ok(actual !== undefined && Math.abs(actual - expected) < 1e-9, `${actual} != ${expected}`);

Deno.test("SpeedSmoother has no speed before any is known", () => {
  const smoother = new SpeedSmoother();
  assert.equal(smoother.current, undefined);
  assert.equal(smoother.update({ lat: 12, lon: 77, ts: 1000 }), undefined);
  assert.equal(smoother.current, undefined);
});

Deno.test("SpeedSmoother takes the first device speed as is, then smooths with alpha 0.3", () => {
  assert.equal(SPEED_SMOOTHER_DEFAULTS.alpha, 0.3);
  const smoother = new SpeedSmoother();
  smoother.update({ lat: 12, lon: 77, ts: 1000, speed: 10 });
  assert.equal(smoother.current, 10);
  smoother.update({ lat: 12, lon: 77, ts: 2000, speed: 0 });
  close(smoother.current, 7);
  smoother.update({ lat: 12, lon: 77, ts: 3000, speed: 20 });
  close(smoother.current, 0.3 * 20 + 0.7 * 7);
});

Deno.test("SpeedSmoother measures distance over time when the device reports no speed", () => {
  const smoother = new SpeedSmoother({ alpha: 1 });
  smoother.update({ lat: 12, lon: 77, ts: 0 });
  smoother.update({ lat: 12.001, lon: 77, ts: 10_000 });
  close(smoother.current, haversineMeters(12, 77, 12.001, 77) / 10);
});

Deno.test("SpeedSmoother ignores a fix that is not newer than the previous one", () => {
  const smoother = new SpeedSmoother({ alpha: 1 });
  smoother.update({ lat: 12, lon: 77, ts: 5000 });
  assert.equal(smoother.update({ lat: 12.1, lon: 77, ts: 5000 }), undefined);
  assert.equal(smoother.update({ lat: 12.1, lon: 77, ts: 4000, speed: 99 }), undefined);
  smoother.update({ lat: 12.001, lon: 77, ts: 15_000 });
  close(smoother.current, haversineMeters(12, 77, 12.001, 77) / 10);
});

Deno.test("SpeedSmoother ignores an invalid device speed and measures instead", () => {
  const smoother = new SpeedSmoother({ alpha: 1 });
  smoother.update({ lat: 12, lon: 77, ts: 0, speed: -1 });
  assert.equal(smoother.current, undefined);
  smoother.update({ lat: 12, lon: 77, ts: 1000, speed: Number.NaN });
  assert.equal(smoother.current, 0);
});

Deno.test("SpeedSmoother rejects alpha outside (0, 1] with RangeError", () => {
  assert.throws(() => new SpeedSmoother({ alpha: 0 }), RangeError);
  assert.throws(() => new SpeedSmoother({ alpha: 1.5 }), RangeError);
});
