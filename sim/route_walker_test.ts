import assert from "node:assert/strict";
import { BENGALURU_AREA } from "./area.ts";
import { distanceMeters } from "./_geo.ts";
import { createRng } from "./rng.ts";
import { RouteWalker } from "./route_walker.ts";

const A = BENGALURU_AREA;

Deno.test("RouteWalker keeps every fix inside the area at plausible city speeds", () => {
  let crossed = 0;
  for (let d = 0; d < 300; d++) {
    const w = new RouteWalker(createRng(d + 1));
    let prev = w.position;
    const startNorth = prev.lat >= A.splitLat;
    let sawOtherSide = false;
    for (let s = 0; s < 1800; s++) {
      w.advance(1);
      const pos = w.position;
      const moved = distanceMeters(prev.lat, prev.lon, pos.lat, pos.lon);
      assert.ok(moved <= 12.01, `driver ${d} moved ${moved} m in 1 s`);
      prev = pos;
      const f = w.fix(1_700_000_000_000 + s * 1000);
      assert.ok(f.lat > A.minLat && f.lat < A.maxLat, `lat ${f.lat} out of area`);
      assert.ok(f.lon > A.minLon && f.lon < A.maxLon, `lon ${f.lon} out of area`);
      assert.ok(f.speed >= 0 && f.speed <= 13, `speed ${f.speed}`);
      assert.ok(f.heading >= 0 && f.heading <= 360, `heading ${f.heading}`);
      assert.ok(f.accuracy >= 3 && f.accuracy <= 12);
      assert.ok(distanceMeters(pos.lat, pos.lon, f.lat, f.lon) <= 2 * 12 * Math.SQRT2 + 1);
      if ((pos.lat >= A.splitLat) !== startNorth) sawOtherSide = true;
    }
    if (sawOtherSide) crossed++;
  }
  assert.ok(crossed >= 30, `only ${crossed} of 300 drivers crossed the north/south border`);
  assert.ok(crossed <= 270, `${crossed} of 300 drivers crossed: the border should not be a blur`);
});

Deno.test("RouteWalker moves at a realistic average speed and makes trips", () => {
  const w = new RouteWalker(createRng(42));
  let total = 0;
  let prev = w.position;
  for (let s = 0; s < 3600; s++) {
    w.advance(1);
    const pos = w.position;
    total += distanceMeters(prev.lat, prev.lon, pos.lat, pos.lon);
    prev = pos;
  }
  const kmh = total / 1000;
  assert.ok(kmh > 5 && kmh < 40, `average ${kmh} km/h`);
  assert.ok(w.trips >= 2, `${w.trips} trips in an hour`);
});

Deno.test("RouteWalker replays identically from the same seed", () => {
  const a = new RouteWalker(createRng(7));
  const b = new RouteWalker(createRng(7));
  for (let s = 0; s < 100; s++) {
    a.advance(1);
    b.advance(1);
    assert.deepEqual(a.fix(s), b.fix(s));
  }
});

Deno.test("RouteWalker.goTo drives to the destination and waits there until roam()", () => {
  const w = new RouteWalker(createRng(42));
  const dest = { lat: 12.99, lon: 77.61 };
  w.advance(30);
  w.goTo(dest);
  assert.equal(w.arrived, false);
  let s = 0;
  for (; s < 3 * 3600 && !w.arrived; s++) w.advance(1);
  assert.ok(w.arrived, "arrived within three simulated hours");
  const at = w.position;
  assert.ok(distanceMeters(at.lat, at.lon, dest.lat, dest.lon) < 1, "at the destination");
  for (let i = 0; i < 600; i++) w.advance(1);
  assert.deepEqual(w.position, at, "stands still while arrived: no trip of its own");
  assert.equal(w.speed, 0);
  w.roam();
  assert.equal(w.arrived, false);
  for (let i = 0; i < 600; i++) w.advance(1);
  const p = w.position;
  assert.ok(distanceMeters(p.lat, p.lon, at.lat, at.lon) > 100, "roams again after roam()");
});

Deno.test("RouteWalker.goTo clamps a destination outside the area into it", () => {
  const w = new RouteWalker(createRng(7));
  w.goTo({ lat: 14, lon: 70 });
  for (let s = 0; s < 6 * 3600 && !w.arrived; s++) w.advance(1);
  assert.ok(w.arrived);
  const p = w.position;
  assert.ok(p.lat < A.maxLat && p.lon > A.minLon, `${p.lat},${p.lon} inside the area`);
});
