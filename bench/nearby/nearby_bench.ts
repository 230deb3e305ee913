/**
 * `deno run -A bench/nearby/nearby_bench.ts [--service]`: what `GET /drivers/nearby` costs and how fresh
 * it is.
 *
 * - In memory: the fleet index (`FleetIndex`, an R-tree) with 10,000 and 100,000 drivers over a
 *   40 km city: the cost of one fix in the index (a short move, and a jump across the city), and
 *   the p50/p99 of a nearby query (3 km,
 *   10 nearest idle), beside a plain scan of every driver for comparison.
 * - `--service`: the real service (in process, the broker of `KAFKA_BROKERS`, `DATABASE_URL`): a
 *   driver sends one fix at a time; the delay from the fix's ack to the first nearby answer that
 *   holds it (polled every 2 ms), and from the send.
 * @module
 */
import { FleetIndex } from "../../actors/fleet_index.ts";
import { nearbyDrivers, type NearbyQuery } from "../../actors/nearby_search.ts";
import { haversineMeters } from "../../domain/geo.ts";
import { percentile } from "../../sim/percentile.ts";
import { createRng } from "../../sim/rng.ts";

const CITY = { lat: 12.97, lon: 77.59, spanDeg: 0.36 };
const STATES = ["idle", "to_pickup", "carrying"] as const;

function _fmt(ms: number): string {
  return ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(2)} ms`;
}

function _timed(n: number, run: (i: number) => void): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    run(i);
    out.push(performance.now() - t0);
  }
  return out.sort((x, y) => x - y);
}

/** The in-memory figures for `drivers` drivers. */
function inMemory(drivers: number): void {
  const rnd = createRng(drivers);
  const at = () => ({
    lat: CITY.lat + (rnd() - 0.5) * CITY.spanDeg,
    lon: CITY.lon + (rnd() - 0.5) * CITY.spanDeg,
  });
  const index = new FleetIndex();
  const now = Date.now();
  const ids = Array.from({ length: drivers }, (_, i) => `d${i}`);
  index.update(ids.map((driverId) => ({ driverId, ...at(), ts: now - 1_000 })));
  ids.forEach((id, i) => index.setState(id, STATES[i % 3]!));
  // One more fix per driver, what the tailer does with each record: up to ~110 m on (1-5 s of
  // driving), then one anywhere in the city (a jump that moves the driver in the tree).
  const step = (d: { lat: number; lon: number }) => ({
    lat: d.lat + (rnd() - 0.5) * 0.002,
    lon: d.lon + (rnd() - 0.5) * 0.002,
  });
  const perFix = (fixes: { driverId: string; lat: number; lon: number; ts: number }[]) => {
    const t0 = performance.now();
    for (const f of fixes) index.update([f]);
    return (performance.now() - t0) / fixes.length;
  };
  const moved = perFix([...index.all()].map((d) => ({ ...d, ...step(d), ts: now - 500 })));
  const jumped = perFix(ids.map((driverId) => ({ driverId, ...at(), ts: now })));
  const query = (): NearbyQuery => ({ ...at(), radiusM: 3_000, limit: 10, state: "idle" });
  const options = { now: now + 500, maxAgeMs: 60_000 };
  for (let i = 0; i < 200; i++) nearbyDrivers(index, query(), options); // warm-up
  const tree = _timed(2_000, () => nearbyDrivers(index, query(), options));
  const all = [...index.all()];
  const scan = _timed(200, () => {
    const q = query();
    all.filter((d) => d.state === "idle")
      .map((d) => ({ d, m: haversineMeters(q.lat, q.lon, d.lat, d.lon) }))
      .filter((x) => x.m <= 3_000).sort((x, y) => x.m - y.m).slice(0, 10);
  });
  const found = nearbyDrivers(index, query(), options).length;
  console.log(
    `${drivers.toLocaleString("en")} drivers: a fix into the index ${_fmt(moved)} ` +
      `(a jump across the city ${_fmt(jumped)}); ` +
      `nearby p50 ${_fmt(percentile(tree, 50))} p99 ${_fmt(percentile(tree, 99))} ` +
      `(${found} found); full scan p50 ${_fmt(percentile(scan, 50))} p99 ${
        _fmt(percentile(scan, 99))
      }`,
  );
}

if (import.meta.main) {
  for (const n of [10_000, 100_000]) inMemory(n);
  if (Deno.args.includes("--service")) {
    const { measureFreshness } = await import("./nearby_freshness.ts");
    await measureFreshness(200);
  }
}
