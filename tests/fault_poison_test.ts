import assert from "node:assert/strict";
import { Producer, stringSerializers } from "@platformatic/kafka";
import { startService } from "../service.ts";
import { connectPostgres } from "../infra/postgres/connect_postgres.ts";
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

Deno.test("fault: records PostgreSQL refuses, produced straight into the topic, go to dead_letters and the rest of their partition is stored", async () => {
  const run = runId();
  const topic = `driver-locations-${run}`;
  const service = await startService(testConfig(run));
  const sql = connectPostgres(DATABASE_URL);
  const producer = new Producer({
    clientId: "poisoner",
    bootstrapBrokers: KAFKA_BROKERS.split(","),
    serializers: stringSerializers,
  });
  const id = `poison-${run}`;
  // North of 12.97: the north region, partition 0, where the poison goes too.
  const fixes = track({ lat: 13.0, lon: 77.6, ts: Date.now() - 60_000 }, 40);
  const driver = new DriverClient(
    `ws://127.0.0.1:${service.port}/ws/driver`,
    await token("driver", id),
  );
  try {
    await driver.connect();
    for (const fix of fixes.slice(0, 20)) driver.send(fix);
    await eventually(
      "the first half acked",
      () => Promise.resolve(driver.ackedTs === fixes[19]!.ts),
    );
    const valid = { seq: 1, ts: Date.now(), lat: 13.0, lon: 77.6, region: "north", receivedAt: 1 };
    const poison = [
      // A real column cannot hold 1e39, and NUL has no place in text: PostgreSQL refuses both.
      JSON.stringify({ ...valid, driverId: `${id}-speed`, speed: 1e39 }),
      JSON.stringify({ ...valid, driverId: `${id}-nul\u0000` }),
      // Not a record at all.
      "{not json",
    ];
    await producer.send({
      messages: poison.map((value) => ({ topic, partition: 0, key: id, value })),
    });
    for (const fix of fixes.slice(20)) driver.send(fix);
    await eventually("all acked", () => Promise.resolve(driver.ackedTs === fixes.at(-1)!.ts));

    // The partition flowed on: every fix of the driver is stored, before and after the poison.
    await assertHistoryExact(sql, new Map([[id, fixes]]), 30_000);
    await eventually("three dead letters", async () => {
      const [row] = await sql`select count(*)::int as n from dead_letters where topic = ${topic}`;
      return row!.n >= 3;
    });
    const letters = await sql<{ partition: number; payload: string; error: string }[]>`
      select partition, payload, error from dead_letters where topic = ${topic} order by kafka_offset`;
    assert.equal(letters.length, 3);
    assert.ok(letters.every((l) => l.partition === 0));
    assert.match(letters[0]!.error, /out of range/);
    assert.equal(JSON.parse(letters[0]!.payload).speed, 1e39);
    assert.match(letters[1]!.payload, /nul\\u0000/);
    assert.equal(letters[2]!.payload, "{not json");
    const metrics = await (await fetch(`http://127.0.0.1:${service.port}/metrics`)).text();
    assert.match(metrics, new RegExp(`tracking_dead_letters_total\\{topic="${topic}"\\} 3`));
    // Ready, as after every fault (the rig allows 30 s): a stream restarted by load on a busy
    // CI machine (seen once: the order-events tailer) may be on its way back at this instant.
    let last = "";
    await eventually("/readyz 200", async () => {
      const ready = await fetch(`http://127.0.0.1:${service.port}/readyz`);
      last = await ready.text();
      return ready.status === 200;
    }, 30_000).catch((error) => Promise.reject(new Error(`${error.message}: ${last}`)));
  } finally {
    await driver.close();
    await producer.close();
    await service.close();
    await sql`delete from dead_letters where topic = ${topic}`;
    await sql.end();
    await cleanupRun(run);
  }
});
