/**
 * The zone judge's cost per fix at 100 and 10,000 zones (docs/performance.md, "Zone judge"):
 * `deno run -A bench/zones/zone_judge.ts [--fixes N]`. Zones are 200 m squares (12-vertex
 * polygons) and 100 m circles spread over a 40 km city; fixes are random points in it, judged
 * by `ZoneJudge` over a `ZoneIndex` (the R-tree look-up, the exact edge distance of each
 * candidate, the presence rule). No database or broker: the in-memory part the actor does per fix.
 */
import { ZoneIndex } from "../../actors/zone_index.ts";
import { ZoneJudge } from "../../actors/zone_judge.ts";
import type { Zone } from "../../domain/zone.ts";
import { METERS_PER_DEGREE } from "../../domain/zone_geometry.ts";
import { ZONE_RULE_DEFAULTS } from "../../domain/zone_presence.ts";

const LAT0 = 12.95, LON0 = 77.6, SIDE_M = 40_000;
const fixesArg = Deno.args.indexOf("--fixes");
const FIXES = fixesArg >= 0 ? Number(Deno.args[fixesArg + 1]) : 200_000;
const DRIVERS = 10_000;

/** A seeded generator, so runs judge the same points. */
function rng(seed: number) {
  return () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

function place(random: () => number) {
  const kx = METERS_PER_DEGREE * Math.cos(LAT0 * Math.PI / 180);
  return {
    lat: LAT0 + random() * SIDE_M / METERS_PER_DEGREE,
    lon: LON0 + random() * SIDE_M / kx,
    kx,
  };
}

function zones(count: number): Zone[] {
  const random = rng(count);
  return Array.from({ length: count }, (_, i) => {
    const { lat, lon, kx } = place(random);
    const shape: Zone["shape"] = i % 2 === 0
      ? {
        type: "Polygon",
        coordinates: [Array.from({ length: 13 }, (_, k) => {
          const a = (k % 12) * Math.PI / 6;
          return [lon + 100 * Math.cos(a) / kx, lat + 100 * Math.sin(a) / METERS_PER_DEGREE];
        })],
      }
      : { type: "Circle", lat, lon, radiusMeters: 100 };
    return {
      id: `z${i}`,
      name: `zone ${i}`,
      restaurantId: null,
      shape,
      dwellSeconds: 60,
      createdBy: "bench",
      createdAt: 0,
    };
  });
}

function measure(count: number) {
  const index = new ZoneIndex(zones(count), ZONE_RULE_DEFAULTS.exitMarginM);
  const judge = new ZoneJudge(ZONE_RULE_DEFAULTS);
  const random = rng(7);
  const fixes = Array.from({ length: FIXES }, (_, i) => {
    const { lat, lon } = place(random);
    return { driverId: `d${i % DRIVERS}`, ts: 1_000_000 + i, lat, lon };
  });
  for (const fix of fixes.slice(0, 20_000)) judge.judge(fix, index); // warm-up
  judge.reset();
  let events = 0, candidates = 0;
  for (const fix of fixes.slice(0, 10_000)) candidates += index.candidates(fix.lat, fix.lon).length;
  const started = performance.now();
  for (const fix of fixes) events += judge.judge(fix, index).length;
  const ns = (performance.now() - started) * 1e6 / FIXES;
  return {
    zones: count,
    fixes: FIXES,
    nsPerFix: Math.round(ns),
    candidatesPerFix: candidates / 10_000,
    events,
  };
}

for (const count of [100, 10_000]) console.log(JSON.stringify(measure(count)));
