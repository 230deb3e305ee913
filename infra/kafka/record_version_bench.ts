// The per-record cost of the schema-version header, on the client's own wire encoding:
// `npx -y deno@2.9.6 bench -A infra/kafka/record_version_bench.ts`. Each case handles a batch of
// 1,000 fixes (what a busy producer batch or fetch holds): divide the time by 1,000 per record.
import { Buffer } from "node:buffer";
import { createRecordsBatch, Reader, readRecordsBatch } from "@platformatic/kafka";
import { decodeLocationRecord, encodeLocationRecord } from "../../domain/location_record.ts";
import { LOCATION_RECORD_VERSION } from "./record_version.ts";
import { tailedValues } from "./tailed_values.ts";

const N = 1000;
const now = Date.now();
const records = Array.from({ length: N }, (_, i) => ({
  driverId: `d-${i % 200}`,
  seq: now + i,
  ts: now + i,
  lat: 12.97 + i * 1e-5,
  lon: 77.59,
  speed: 8.3,
  heading: 90,
  accuracy: 5,
  region: "south",
  receivedAt: now + i,
}));

/** What the producer does per record (serializers, header map, wire encoding), then a fetch's read. */
function roundTrip(withHeader: boolean): number {
  const messages = records.map((record) => {
    const headers = new Map<Buffer, Buffer>();
    if (withHeader) {
      // As the producer does with a message's `headers` (no serializer: the bytes go as they are).
      for (const [k, v] of LOCATION_RECORD_VERSION.headers) headers.set(k, v);
    }
    return {
      topic: "driver-locations",
      key: Buffer.from(record.driverId),
      value: Buffer.from(encodeLocationRecord(record)),
      headers,
    };
  });
  const wire = createRecordsBatch(messages).buffer;
  const batch = readRecordsBatch(Reader.from(wire));
  const { values } = tailedValues(
    [batch],
    0n,
    withHeader ? { version: LOCATION_RECORD_VERSION } : {},
  );
  let sum = 0;
  for (const value of values) sum += decodeLocationRecord(value).seq;
  return sum;
}

Deno.bench(
  "encode+decode 1,000 fixes, no header (before)",
  { group: "round trip", baseline: true },
  () => {
    roundTrip(false);
  },
);
Deno.bench(
  "encode+decode 1,000 fixes, schema-version header (after)",
  { group: "round trip" },
  () => {
    roundTrip(true);
  },
);

const versioned = readRecordsBatch(
  Reader.from(
    createRecordsBatch(records.map((r) => ({
      topic: "t",
      value: Buffer.from(encodeLocationRecord(r)),
      headers: LOCATION_RECORD_VERSION.headers,
    }))).buffer,
  ),
);
Deno.bench("check the header of 1,000 records", { group: "check" }, () => {
  let bad = 0;
  for (const record of versioned.records) {
    if (LOCATION_RECORD_VERSION.problem(record.headers) !== undefined) bad++;
  }
  if (bad !== 0) throw new Error("misread");
});
