import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { Consumer, type Message, Producer } from "@platformatic/kafka";
import { Ajv } from "ajv";
import { startService } from "../service.ts";
import { connectPostgres } from "../infra/postgres/connect_postgres.ts";
import { loadRegionMap } from "../infra/regions/load_region_map.ts";
import {
  cleanupRun,
  DATABASE_URL,
  eventually,
  KAFKA_BROKERS,
  runId,
  testConfig,
  token,
} from "./_support.ts";
import { DriverClient, track } from "./_driver_client.ts";
import { assertHistoryExact } from "./_history_check.ts";

// deno-lint-ignore no-explicit-any
type Json = any;
type RawRecord = Message<Buffer, Buffer, Buffer, Buffer>;

// The contract other teams rely on, held to what the service really writes: records read back raw
// (bytes, no client-side decoding) with a consumer of our own, and checked with a JSON Schema
// validator of its own (ajv, draft-07 as AsyncAPI payloads are) against the served document.

/** Every record of `topic` from its start, raw, once at least `count` have come (at most 20 s). */
async function _readRaw(topic: string, count: number): Promise<RawRecord[]> {
  const consumer = new Consumer({
    clientId: "contract-reader",
    groupId: `contract-reader-${runId()}`,
    bootstrapBrokers: KAFKA_BROKERS.split(","),
    maxWaitTime: 100,
  });
  const records: RawRecord[] = [];
  try {
    const stream = await consumer.consume({ topics: [topic], mode: "earliest" });
    stream.on("data", (message) => records.push(message));
    try {
      await eventually(
        `${count} records of ${topic}`,
        () => Promise.resolve(records.length >= count),
        20_000,
      );
    } finally {
      await stream.close();
    }
  } finally {
    await consumer.close(true);
  }
  return records;
}

/** `schema` with every object closed (`additionalProperties: false`): nothing undocumented passes. */
function _closed(schema: Json): Json {
  if (Array.isArray(schema)) return schema.map(_closed);
  if (typeof schema !== "object" || schema === null) return schema;
  const out: Json = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, _closed(v)]));
  if (out.type === "object" && out.properties) out.additionalProperties = false;
  return out;
}

/** Why `record` does not fit `message` of the document (key, headers, value), or `[]`. */
function _problems(ajv: Ajv, message: Json, record: RawRecord): string[] {
  const headers = Object.fromEntries(
    record.headerEntries.map(([k, v]) => [k.toString("utf8"), v.toString("utf8")]),
  );
  const checks: [string, Json, unknown][] = [
    ["key", message.bindings.kafka.key, record.key.toString("utf8")],
    ["headers", message.headers, headers],
    ["value", message.payload, JSON.parse(record.value.toString("utf8"))],
    ["value (closed)", _closed(message.payload), JSON.parse(record.value.toString("utf8"))],
  ];
  return checks.flatMap(([what, schema, data]) =>
    ajv.validate(schema, data) ? [] : [`${what}: ${ajv.errorsText()}`]
  );
}

Deno.test("what the service writes to its topics validates against the AsyncAPI document it serves", async () => {
  const run = runId();
  const config = testConfig(run);
  const service = await startService(config);
  const base = `http://127.0.0.1:${service.port}`;
  const driverId = `contract-${run}`;
  const driver = new DriverClient(
    `ws://127.0.0.1:${service.port}/ws/driver`,
    await token("driver", driverId),
  );
  try {
    const doc: Json = await (await fetch(`${base}/asyncapi.json`)).json();
    const orderId = await _orderAssigned(base, run, driverId, {
      pickupLat: 12.95,
      dropoffLat: 12.97,
    });
    // Fixes on both sides of the north/south line: two regions, two partitions.
    const fixes = [
      // Five minutes apart: 5.5 km at a speed the fix filter believes.
      ...track({ lat: 12.95, lon: 77.6, ts: Date.now() - 300_000 }, 3),
      ...track({ lat: 13.0, lon: 77.6, ts: Date.now() - 20_000 }, 3),
    ];
    await driver.connect();
    for (const fix of fixes) driver.send(fix);
    await eventually("every fix acked", () => Promise.resolve(driver.ackedTs === fixes.at(-1)!.ts));

    const ajv = new Ajv({ allErrors: true, strict: false });
    const regions = await loadRegionMap(config.REGIONS_FILE);
    const locations = await _readRaw(config.LOCATIONS_TOPIC, fixes.length);
    assert.equal(locations.length, fixes.length);
    const location = doc.channels.driverLocations.messages.location;
    for (const record of locations) {
      assert.deepEqual(_problems(ajv, location, record), [], `offset ${record.offset}`);
      const value = JSON.parse(record.value.toString("utf8"));
      assert.equal(record.key.toString("utf8"), value.driverId);
      // The partitioning rule: the partition of the region the fix lies in.
      assert.equal(record.partition, regions.locate(value.lat, value.lon).partition);
    }
    assert.equal(new Set(locations.map((r) => r.partition)).size, 2, "two regions, two partitions");

    // Created, assigned, then the notifications the fixes at the pickup set off (at least one).
    const events = await _readRaw(config.ORDER_EVENTS_TOPIC, 3);
    const messages = doc.channels.orderEvents.messages;
    for (const record of events) {
      const value = JSON.parse(record.value.toString("utf8"));
      assert.ok(messages[value.type], `a message for type ${value.type}`);
      assert.deepEqual(_problems(ajv, messages[value.type], record), [], `offset ${record.offset}`);
      assert.equal(record.key.toString("utf8"), orderId);
    }
    const values = events.map((r) => JSON.parse(r.value.toString("utf8")));
    assert.deepEqual(values.slice(0, 2).map((v) => v.order?.status), ["created", "assigned"]);
    assert.ok(values.slice(2).every((v) => v.type === "notification"));
  } finally {
    await driver.close();
    await service.close();
    await cleanupRun(run);
  }
});

/**
 * Waits until the instance's fleet tailer (driver-locations) and order-events tailer read: the
 * nearby search shows driver `id` carrying the state of an order assigned to it just now. Both
 * tailers start at the end of their topics, so only a record produced after this reaches them.
 */
async function _tailersReading(port: number, run: string, id: string): Promise<void> {
  const base = `http://127.0.0.1:${port}`;
  const ops = await _opsHeaders(run);
  await _orderAssigned(base, run, id, { pickupLat: 12.5, dropoffLat: 12.6 });
  await eventually("the fleet and order-events tailers read", async () => {
    const res = await fetch(`${base}/drivers/nearby?lat=13.0&lon=77.6&radius_m=3000`, {
      headers: ops,
    });
    const { drivers } = await res.json();
    return drivers.some((d: Json) => d.driverId === id && d.state === "to_pickup");
  });
}

Deno.test("a record of a newer schema version, produced straight into the topic, is dead-lettered with its reason and the rest of its partition is stored", async () => {
  const run = runId();
  const config = testConfig(run);
  const topic = config.LOCATIONS_TOPIC;
  const service = await startService(config);
  const sql = connectPostgres(DATABASE_URL);
  const producer = new Producer({
    clientId: "contract-writer",
    bootstrapBrokers: KAFKA_BROKERS.split(","),
  });
  const id = `versions-${run}`;
  // North of 12.97: the north region, partition 0, where the other records go too.
  const fixes = track({ lat: 13.0, lon: 77.6, ts: Date.now() - 40_000 }, 40);
  const driver = new DriverClient(
    `ws://127.0.0.1:${service.port}/ws/driver`,
    await token("driver", id),
  );
  const record = (driverId: string, ts: number) =>
    JSON.stringify({
      driverId,
      seq: ts,
      ts,
      lat: 13.0,
      lon: 77.6,
      region: "north",
      receivedAt: ts,
    });
  const version = (v: string) => new Map([[Buffer.from("schema-version"), Buffer.from(v)]]);
  const ts = Date.now() - 1_000;
  try {
    await driver.connect();
    for (const fix of fixes.slice(0, 20)) driver.send(fix);
    await eventually(
      "the first half acked",
      () => Promise.resolve(driver.ackedTs === fixes[19]!.ts),
    );
    await _tailersReading(service.port, run, id);
    const newer = record(`${id}-v2`, ts);
    await producer.send({
      messages: [
        // A well-formed version-1 value: misread as version 1, it would be stored.
        {
          topic,
          partition: 0,
          key: Buffer.from(`${id}-v2`),
          value: Buffer.from(newer),
          headers: version("2"),
        },
        // Records already in topics have no header: version 1.
        {
          topic,
          partition: 0,
          key: Buffer.from(`${id}-old`),
          value: Buffer.from(record(`${id}-old`, ts)),
        },
        {
          topic,
          partition: 0,
          key: Buffer.from(`${id}-v1`),
          value: Buffer.from(record(`${id}-v1`, ts)),
          headers: version("1"),
        },
      ],
    });
    await producer.send({
      messages: [{
        topic: config.ORDER_EVENTS_TOPIC,
        partition: 0,
        key: Buffer.from(`o-${run}`),
        value: Buffer.from(JSON.stringify({ type: "order", order: { id: `o-${run}` } })),
        headers: version("2"),
      }],
    });
    for (const fix of fixes.slice(20)) driver.send(fix);
    await eventually("all acked", () => Promise.resolve(driver.ackedTs === fixes.at(-1)!.ts));

    // The partition flowed on: the driver's fixes before and after, and the version-1 records.
    const one = [{ lat: 13.0, lon: 77.6, ts }];
    await assertHistoryExact(
      sql,
      new Map([[id, fixes], [`${id}-old`, one], [`${id}-v1`, one]]),
      30_000,
    );
    const [v2] =
      await sql`select count(*)::int as n from driver_locations where driver_id = ${`${id}-v2`}`;
    assert.equal(v2!.n, 0, "the newer record was never read as version 1");
    await eventually("a dead letter", async () => {
      const [row] = await sql`select count(*)::int as n from dead_letters where topic = ${topic}`;
      return row!.n >= 1;
    });
    const letters = await sql<{ partition: number; payload: string; error: string }[]>`
      select partition, payload, error from dead_letters where topic = ${topic}`;
    assert.deepEqual(letters.map((l) => ({ ...l })), [{
      partition: 0,
      payload: newer,
      error: "schema-version 2 is newer than 1, the newest this reader knows",
    }]);
    // Counted by each reader that met it: on driver-locations the regional consumer (history
    // writer, notifier and zone judge) and the location tailer (fleet index and live view); on
    // order-events the order-events tailer.
    await eventually("counted by every reader", async () => {
      const metrics = await (await fetch(`http://127.0.0.1:${service.port}/metrics`)).text();
      const count = (t: string) =>
        Number(
          metrics.match(
            new RegExp(`tracking_unknown_schema_version_total\\{topic="${t}"\\} (\\d+)`),
          )?.[1] ?? 0,
        );
      return count(topic) === 2 && count(config.ORDER_EVENTS_TOPIC) === 1;
    });
  } finally {
    await driver.close();
    await producer.close();
    await service.close();
    await sql`delete from dead_letters where topic = ${topic}`;
    await sql.end();
    await cleanupRun(run);
  }
});

function _opsHeaders(run: string): Promise<Record<string, string>> {
  return token("ops", `ops-${run}`).then((jwt) => ({
    Authorization: `Bearer ${jwt}`,
    "content-type": "application/json",
  }));
}

/** Creates an order (pickup and drop-off on lon 77.6 at the given latitudes) and assigns it. */
async function _orderAssigned(
  base: string,
  run: string,
  driverId: string,
  at: { pickupLat: number; dropoffLat: number },
): Promise<string> {
  const ops = await _opsHeaders(run);
  const created = await fetch(`${base}/orders`, {
    method: "POST",
    headers: ops,
    body: JSON.stringify({
      restaurantId: `r-${run}`,
      customerId: `c-${run}`,
      pickup: { lat: at.pickupLat, lon: 77.6 },
      dropoff: { lat: at.dropoffLat, lon: 77.6 },
    }),
  });
  assert.equal(created.status, 201);
  const orderId = (await created.json()).id;
  const assigned = await fetch(`${base}/orders/${orderId}/assign`, {
    method: "POST",
    headers: ops,
    body: JSON.stringify({ driverId }),
  });
  assert.equal(assigned.status, 200);
  await assigned.body?.cancel();
  return orderId;
}
