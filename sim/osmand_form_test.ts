import assert from "node:assert/strict";
import { KNOTS_PER_MPS, osmandForm } from "./osmand_form.ts";

Deno.test("osmandForm encodes a fix as Traccar Client 10's form: key as id, seconds, knots", () => {
  const form = osmandForm("3f9a0c", {
    lat: 12.971599,
    lon: 77.594566,
    ts: 1_732_400_000_999,
    speed: 5.144444,
    heading: 270,
    accuracy: 7,
  });
  assert.deepEqual([...form.keys()], [
    "id",
    "lat",
    "lon",
    "timestamp",
    "speed",
    "bearing",
    "accuracy",
  ]);
  assert.equal(form.get("id"), "3f9a0c");
  assert.equal(form.get("lat"), "12.971599");
  assert.equal(form.get("lon"), "77.594566");
  // Whole Unix seconds, the fraction cut off as the app does (time / 1000 as an integer).
  assert.equal(form.get("timestamp"), "1732400000");
  // 5.144444 m/s is 10 knots (1 kn = 1852 m / 3600 s).
  assert.ok(Math.abs(Number(form.get("speed")) - 10) < 1e-5, form.get("speed")!);
  assert.equal(form.get("bearing"), "270");
  assert.equal(form.get("accuracy"), "7");
  assert.equal(
    form.toString().startsWith("id=3f9a0c&lat=12.971599&lon=77.594566&timestamp=1732400000&"),
    true,
  );
});

Deno.test("osmandForm's knots convert back to the m/s the service stores (× 1852 / 3600)", () => {
  for (const mps of [0, 0.1, 4.2, 11, 33.3]) {
    const knots = Number(
      osmandForm("k", {
        lat: 0,
        lon: 0,
        ts: 0,
        speed: mps,
        heading: 0,
        accuracy: 1,
      }).get("speed"),
    );
    assert.ok(Math.abs(knots - mps * KNOTS_PER_MPS) < 1e-12);
    assert.ok(Math.abs((knots * 1852) / 3600 - mps) < 1e-9, `${mps} m/s -> ${knots} kn`);
  }
});
