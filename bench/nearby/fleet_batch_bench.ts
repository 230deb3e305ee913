/**
 * `deno run -A bench/nearby/fleet_batch_bench.ts [drivers] [batch]`: what one fix costs on the
 * fleet tailer's path, as the tailer hands a batch of record values on.
 *
 * - `direct`: the values decoded one by one and put into a `FleetIndex` in the tailer's callback,
 *   as `pipelines/fleet_feed.ts` did before the fleet feed became an actor.
 * - `actor`: `decodeAll`, then the whole batch in one `ask` to the `FleetFeedActor` (on the system
 *   clock), which puts it into its index: what the tailer does now.
 *
 * Each round sends the same fixes (every driver moves a little, one newer fix each) both ways,
 * alternating which goes first; the figures are the median round, in ns per fix.
 * @module
 */
import { FleetIndex } from "../../actors/fleet_index.ts";
import { FLEET_FEED, FLEET_FEED_ID, fleetFeedActorKind } from "../../actors/fleet_feed_actor.ts";
import { ActorSystem } from "../../actors/runtime/mod.ts";
import { decodeLocationRecord, type LocationRecord } from "../../domain/location_record.ts";
import { Metrics } from "../../infra/metrics.ts";
import { decodeAll } from "../../pipelines/decode_all.ts";
import { createRng } from "../../sim/rng.ts";

const CITY = { lat: 12.97, lon: 77.59, spanDeg: 0.36 };
const TOPIC = "driver-locations";

/** One round of values: a newer fix of every driver, up to ~110 m from its last, in batches. */
function _round(
  places: { lat: number; lon: number }[],
  ts: number,
  batch: number,
  rnd: () => number,
): string[][] {
  const values = places.map((p, i) => {
    p.lat += (rnd() - 0.5) * 0.002;
    p.lon += (rnd() - 0.5) * 0.002;
    const record: LocationRecord = {
      driverId: `d${i}`,
      seq: ts,
      ts,
      lat: p.lat,
      lon: p.lon,
      region: "south",
      receivedAt: ts,
      speed: 8,
    };
    return JSON.stringify(record);
  });
  const out: string[][] = [];
  for (let i = 0; i < values.length; i += batch) out.push(values.slice(i, i + batch));
  return out;
}

/** The old callback: decode each value (a bad one counted), then the index. */
function _direct(index: FleetIndex, metrics: Metrics, batches: string[][]): void {
  for (const values of batches) {
    const records = [];
    for (const value of values) {
      try {
        records.push(decodeLocationRecord(value));
      } catch {
        metrics.badRecords.inc({ topic: TOPIC });
      }
    }
    index.update(records);
  }
}

async function _timed(run: () => void | Promise<void>): Promise<number> {
  const t0 = performance.now();
  await run();
  return performance.now() - t0;
}

async function main(): Promise<void> {
  const drivers = Number(Deno.args[0] ?? 10_000);
  const batch = Number(Deno.args[1] ?? 100);
  const rounds = 30;
  const rnd = createRng(drivers);
  const places = Array.from({ length: drivers }, () => ({
    lat: CITY.lat + (rnd() - 0.5) * CITY.spanDeg,
    lon: CITY.lon + (rnd() - 0.5) * CITY.spanDeg,
  }));
  const metrics = new Metrics({ instance: "bench" });
  const index = new FleetIndex();
  const system = new ActorSystem();
  system.register(
    FLEET_FEED,
    fleetFeedActorKind({
      updateMs: 3_600_000,
      goneMs: 3_600_000,
      maxPoints: 500,
      maxBufferedBytes: 65_536,
      nearbyMaxAgeMs: 60_000,
      partitions: [0],
      activeOrders: () => Promise.resolve(0),
      activeDriverOrders: () => Promise.resolve([]),
    }),
  );
  const feed = system.ref(FLEET_FEED, FLEET_FEED_ID);
  const viaActor = async (batches: string[][]) => {
    for (const values of batches) {
      const fixes = decodeAll(values, decodeLocationRecord, metrics, TOPIC);
      await feed.ask<number>((replyTo) => ({ type: "fixes", fixes, replyTo }), {
        timeoutMs: Infinity,
      });
    }
  };
  const direct: number[] = [];
  const actor: number[] = [];
  const start = Date.now();
  for (let r = 0; r < rounds + 3; r++) {
    const batches = _round(places, start + r * 1_000, batch, rnd);
    const d = () => _timed(() => _direct(index, metrics, batches));
    const a = () => _timed(() => viaActor(batches));
    const [td, ta] = r % 2 === 0 ? [await d(), await a()] : [await a(), await d()].reverse();
    if (r < 3) continue; // warm-up
    direct.push((td! * 1e6) / drivers);
    actor.push((ta! * 1e6) / drivers);
  }
  await system.shutdown();
  const median = (xs: number[]) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  console.log(`fleet tailer path, ${drivers} drivers, batches of ${batch}, ${rounds} rounds`);
  console.log(`  direct (decode + index in the callback): ${median(direct).toFixed(0)} ns/fix`);
  console.log(`  actor (decodeAll + one ask per batch):   ${median(actor).toFixed(0)} ns/fix`);
}

if (import.meta.main) await main();
