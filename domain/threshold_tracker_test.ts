import assert from "node:assert/strict";
import { THRESHOLD_DEFAULTS, ThresholdTracker } from "./threshold_tracker.ts";

Deno.test("ThresholdTracker reports entered when the distance comes within the threshold", () => {
  const tracker = new ThresholdTracker(500, 30);
  assert.equal(tracker.update(900), undefined);
  assert.equal(tracker.inside, false);
  assert.equal(tracker.update(500), "entered");
  assert.equal(tracker.inside, true);
  assert.equal(tracker.update(300), undefined);
});

Deno.test("ThresholdTracker counts the first reading inside as entered", () => {
  const tracker = new ThresholdTracker(500, 30);
  assert.equal(tracker.update(10), "entered");
});

Deno.test("ThresholdTracker gives one entered and no left for jitter around the boundary", () => {
  const tracker = new ThresholdTracker(500, 30);
  const crossings = [505, 495, 505, 495, 505, 495, 529, 530, 495].map((d) => tracker.update(d));
  assert.deepEqual(crossings.filter((c) => c !== undefined), ["entered"]);
  assert.equal(tracker.inside, true);
});

Deno.test("ThresholdTracker reports left only past threshold plus hysteresis, then entered again", () => {
  const tracker = new ThresholdTracker(500, 30);
  tracker.update(400);
  assert.equal(tracker.update(530), undefined);
  assert.equal(tracker.update(531), "left");
  assert.equal(tracker.inside, false);
  assert.equal(tracker.update(520), undefined);
  assert.equal(tracker.update(499), "entered");
});

Deno.test("ThresholdTracker defaults the hysteresis to 30 m", () => {
  assert.equal(THRESHOLD_DEFAULTS.hysteresisMeters, 30);
  const tracker = new ThresholdTracker(100);
  tracker.update(50);
  assert.equal(tracker.update(130), undefined);
  assert.equal(tracker.update(131), "left");
});

Deno.test("ThresholdTracker rejects negative settings and a NaN distance with RangeError", () => {
  assert.throws(() => new ThresholdTracker(-1, 30), RangeError);
  assert.throws(() => new ThresholdTracker(500, Number.NaN), RangeError);
  assert.throws(() => new ThresholdTracker(500, 30).update(Number.NaN), RangeError);
});
