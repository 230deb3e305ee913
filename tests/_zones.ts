import { Consumer, stringDeserializers } from "@platformatic/kafka";
import { KAFKA_BROKERS, token } from "./_support.ts";

/** Where the test zones are: a 200 m square whose west edge is at `LON0`. */
export const LAT0 = 12.95;
export const LON0 = 77.6;
const M_PER_DEG = 111_195;
/** A longitude `m` metres east of the square's west edge. */
export const east = (m: number) => LON0 + m / (M_PER_DEG * Math.cos(LAT0 * Math.PI / 180));
/** A latitude `m` metres north of the square's south edge. */
export const north = (m: number) => LAT0 + m / M_PER_DEG;

/** The 200 m square as a GeoJSON Polygon. */
export function squarePolygon() {
  const ring = [[0, 0], [200, 0], [200, 200], [0, 200], [0, 0]].map(([x, y]) => [
    east(x!),
    north(y!),
  ]);
  return { type: "Polygon", coordinates: [ring] };
}

/**
 * Metres east of the west edge, one a fix: outside with jitter across the edge (within the
 * margins), well in, jitter inside near the edge, then well out. The zone rule makes exactly one
 * enter and one exit of it (and a dwell, for a dwell time under the time spent inside).
 */
export const EDGE_JITTER_PATH: readonly number[] = [
  -60,
  -8,
  5,
  -6,
  8,
  -3, // outside: never 10 m in
  40,
  60,
  80,
  100,
  100,
  100,
  100,
  100,
  80,
  60, // in (enter at 40)
  6,
  -7,
  9,
  -12,
  4,
  -9,
  3, // inside near the edge: never 20 m out
  -30,
  -80,
  -5,
  7,
  -150, // out (exit at -30), then jitter outside again
];

/** Fixes along {@linkcode EDGE_JITTER_PATH}, a second apart from `startTs`, halfway up. */
export function jitterFixes(startTs: number) {
  return EDGE_JITTER_PATH.map((m, i) => ({
    lat: north(100),
    lon: east(m),
    ts: startTs + i * 1000,
  }));
}

/** POSTs a zone as ops on `port`; returns the answer. */
export async function createZone(port: number, body: unknown) {
  const res = await fetch(`http://127.0.0.1:${port}/zones`, {
    method: "POST",
    headers: {
      Authorization: `Bearer ${await token("ops", "ops-zones")}`,
      "content-type": "application/json",
    },
    body: JSON.stringify(body),
  });
  // deno-lint-ignore no-explicit-any
  return { status: res.status, body: await res.json() as any };
}

/**
 * Every record of `topic` from its start, read by a group of its own: waits for at least `min`,
 * then keeps reading until none came for `quietMs` (so a duplicate published late is seen too).
 */
export async function readAllRecords(
  topic: string,
  options: { readonly min: number; readonly quietMs?: number; readonly timeoutMs?: number },
): Promise<{ key: string; value: string }[]> {
  const consumer = new Consumer({
    clientId: "test-zone-reader",
    groupId: `test-zones-${crypto.randomUUID().slice(0, 8)}`,
    bootstrapBrokers: KAFKA_BROKERS.split(","),
    deserializers: stringDeserializers,
    maxWaitTime: 100,
  });
  const records: { key: string; value: string }[] = [];
  let lastAt = Date.now();
  try {
    const stream = await consumer.consume({ topics: [topic], mode: "earliest" });
    stream.on("data", (m) => {
      records.push({ key: m.key, value: m.value });
      lastAt = Date.now();
    });
    try {
      const deadline = Date.now() + (options.timeoutMs ?? 60_000);
      while (records.length < options.min || Date.now() - lastAt < (options.quietMs ?? 3_000)) {
        if (Date.now() > deadline) {
          throw new Error(`${records.length} of at least ${options.min} records read`);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await stream.close();
    }
  } finally {
    await consumer.close(true);
  }
  return records;
}
