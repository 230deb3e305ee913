import assert from "node:assert/strict";
import { BENGALURU_AREA } from "../sim/area.ts";
import { distanceMeters } from "../sim/_geo.ts";
import { parseDemoArgs, squareArea } from "./demo_args.ts";

Deno.test("parseDemoArgs: 200 drivers, half of them on orders, port 8000 or $PORT, real time, central 10 km", () => {
  const a = parseDemoArgs([]);
  assert.equal(a.drivers, 200);
  assert.equal(a.orders, 100);
  assert.equal(a.port, 8000);
  assert.equal(a.timeScale, 1);
  assert.deepEqual(a.area, squareArea(10));
  assert.deepEqual(parseDemoArgs(["--area-km", "25"]).area, squareArea(25));
  assert.match(a.prefix, /^demo-[a-z0-9]+$/);
  assert.equal(parseDemoArgs([], { PORT: "9000" }).port, 9000);
  assert.equal(parseDemoArgs(["--port=9100"], { PORT: "9000" }).port, 9100);
  assert.equal(parseDemoArgs(["--drivers", "21"]).orders, 11);
  assert.equal(parseDemoArgs(["--drivers", "20", "--orders", "0"]).orders, 0);
});

Deno.test("parseDemoArgs refuses values the demo cannot run with", () => {
  for (
    const bad of [
      ["--drivers", "0"],
      ["--drivers", "x"],
      ["--orders", "21", "--drivers", "20"],
      ["--time-scale", "5"],
      ["--time-scale", "0.5"],
      ["--area-km", "0"],
      ["--area-km", "26"],
      ["--port", "70000"],
    ]
  ) assert.throws(() => parseDemoArgs(bad), RangeError, bad.join(" "));
});

Deno.test("squareArea is K km a side around the north/south split", () => {
  const a = squareArea(2);
  const mid = (a.minLat + a.maxLat) / 2;
  assert.ok(Math.abs(distanceMeters(a.minLat, a.minLon, a.maxLat, a.minLon) - 2000) < 5);
  assert.ok(Math.abs(distanceMeters(mid, a.minLon, mid, a.maxLon) - 2000) < 5);
  assert.equal(a.splitLat, BENGALURU_AREA.splitLat);
  assert.ok(a.minLat > BENGALURU_AREA.minLat && a.maxLon < BENGALURU_AREA.maxLon);
});

Deno.test("squareArea up to 25 km stays inside the default regions' box", () => {
  const a = squareArea(25);
  const b = BENGALURU_AREA;
  assert.ok(
    a.minLat > b.minLat && a.maxLat < b.maxLat && a.minLon > b.minLon && a.maxLon < b.maxLon,
  );
});
