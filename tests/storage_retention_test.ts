// Storage retention against the PostgreSQL server at DATABASE_URL: history day partitions made
// ahead and dropped past HISTORY_RETENTION_DAYS, finished orders pruned past ORDER_RETENTION_DAYS,
// one instance at a time. Each test works in a schema of its own with explicit dates.
import assert from "node:assert/strict";
import { withSchema } from "./_pg_schema.ts";
import { migrate, type Sql } from "../infra/postgres/mod.ts";
import {
  createDayPartitions,
  DAY_MS,
  listDayPartitions,
} from "../infra/postgres/history_partitions.ts";
import { PostgresRetention } from "../infra/postgres/postgres_retention.ts";

/** 2030-01-10T12:00Z: the retention rounds' "now". */
const NOW = Date.UTC(2030, 0, 10, 12);
const day = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d);

function retention(sql: Sql, orderBatch = 1_000) {
  return new PostgresRetention(sql, {
    historyRetentionDays: 30,
    orderRetentionDays: 90,
    deadLetterRetentionDays: 14,
    orderBatch,
  });
}

async function insertFix(sql: Sql, driverId: string, ts: number) {
  await sql`INSERT INTO driver_locations (driver_id, seq, ts, lat, lon, region, received_at)
    VALUES (${driverId}, 1, ${ts}, 1, 1, 'r', ${ts})`;
}

Deno.test("retention creates today .. today+3 and drops only partitions whose whole day is past HISTORY_RETENTION_DAYS", async () => {
  await withSchema(async (connect) => {
    const sql = connect();
    await migrate(sql);
    // The migration made today .. +3 by the wall clock; this test sets its own days.
    for (const p of await listDayPartitions(sql)) await sql`DROP TABLE ${sql(p.name)}`;
    const past = [day(2029, 12, 9), day(2029, 12, 10), day(2029, 12, 11), day(2030, 1, 9)];
    await createDayPartitions(sql, past, "test");
    for (const d of past) await insertFix(sql, "d1", d + 1_000);

    // now - 30 days = 2029-12-11T12:00Z: 12-09 and 12-10 ended before it, 12-11 did not.
    const report = await retention(sql).run(NOW);
    assert.equal(report.ran, true);
    assert.deepEqual(report.created, [
      "driver_locations_p20300110",
      "driver_locations_p20300111",
      "driver_locations_p20300112",
      "driver_locations_p20300113",
    ]);
    assert.deepEqual(report.dropped, ["driver_locations_p20291209", "driver_locations_p20291210"]);
    const names = (await listDayPartitions(sql)).map((p) => p.name);
    assert.equal(report.partitions, names.length);
    assert.equal(names.length, 4 + 4 - 2);
    assert.ok(names.includes("driver_locations_p20291211"));
    assert.ok(!names.includes("driver_locations_p20291210"));
    const rows = await sql`SELECT ts FROM driver_locations WHERE driver_id = 'd1' ORDER BY ts`;
    assert.deepEqual(
      rows.map((r) => Number(r.ts)),
      [day(2029, 12, 11), day(2030, 1, 9)].map((
        d,
      ) => d + 1_000),
    );
    // The bounds are the UTC day in epoch ms.
    const [bound] = await sql`
      SELECT pg_get_expr(c.relpartbound, c.oid) AS b FROM pg_class c
      WHERE c.relname = 'driver_locations_p20300113' AND c.relnamespace = current_schema()::regnamespace`;
    assert.equal(
      bound?.b,
      `FOR VALUES FROM ('${day(2030, 1, 13)}') TO ('${day(2030, 1, 13) + DAY_MS}')`,
    );

    const again = await retention(sql).run(NOW);
    assert.deepEqual([again.created, again.dropped], [[], []]);
  });
});

Deno.test("retention skips its round while another instance holds the lock", async () => {
  await withSchema(async (connect) => {
    const sql = connect();
    await migrate(sql);
    const other = await connect(1).reserve();
    await other`SELECT pg_advisory_lock(hashtext('tracking.retention'),
      'driver_locations'::regclass::oid::int)`;
    const skipped = await retention(sql).run(NOW);
    assert.deepEqual(skipped, {
      ran: false,
      created: [],
      dropped: [],
      partitions: 0,
      ordersDeleted: 0,
      notificationsDeleted: 0,
      deadLettersDeleted: 0,
    });
    assert.ok(!(await listDayPartitions(sql)).some((p) => p.name === "driver_locations_p20300110"));
    await other`SELECT pg_advisory_unlock(hashtext('tracking.retention'),
      'driver_locations'::regclass::oid::int)`;
    other.release();
    assert.equal((await retention(sql).run(NOW)).ran, true);
  });
});

Deno.test("retention deletes only finished orders older than ORDER_RETENTION_DAYS, notifications first", async () => {
  await withSchema(async (connect) => {
    const sql = connect();
    await migrate(sql);
    const old = NOW - 91 * DAY_MS;
    const recent = NOW - 89 * DAY_MS;
    const orders: [string, string, number][] = [
      ["old-delivered-1", "delivered", old],
      ["old-delivered-2", "delivered", old - 1],
      ["old-cancelled", "cancelled", old],
      ["old-active", "picked_up", old],
      ["old-waiting", "created", old],
      ["recent-delivered", "delivered", recent],
    ];
    for (const [id, status, updated] of orders) {
      await sql`INSERT INTO orders (id, restaurant_id, customer_id, driver_id, pickup_lat,
          pickup_lon, dropoff_lat, dropoff_lon, status, created_at, updated_at)
        VALUES (${id}, 'r', 'c', ${status === "created" ? null : "d"}, 1, 1, 1, 1, ${status},
          ${updated - 3_600_000}, ${updated})`;
      await sql`INSERT INTO notifications (id, order_id, kind, threshold_m, distance_m,
          driver_id, ts, created_at)
        VALUES (${id + ":driver_near:500"}, ${id}, 'driver_near', 500, 480, 'd', 1, 1)`;
    }
    const report = await retention(sql, 2).run(NOW); // batches of 2: 2 + 1
    assert.equal(report.ordersDeleted, 3);
    assert.equal(report.notificationsDeleted, 3);
    const left = await sql`SELECT id FROM orders ORDER BY id`;
    assert.deepEqual(left.map((r) => r.id), ["old-active", "old-waiting", "recent-delivered"]);
    const notes = await sql`SELECT order_id FROM notifications ORDER BY order_id`;
    assert.deepEqual(notes.map((r) => r.order_id), [
      "old-active",
      "old-waiting",
      "recent-delivered",
    ]);
  });
});

Deno.test("retention deletes dead letters set aside longer ago than DEAD_LETTER_RETENTION_DAYS, in batches", async () => {
  await withSchema(async (connect) => {
    const sql = connect();
    await migrate(sql);
    const ages = [15, 14.01, 14.01, 13.99, 1]; // days before NOW
    for (const [i, age] of ages.entries()) {
      await sql`INSERT INTO dead_letters (topic, partition, kafka_offset, payload, error, created_at)
        VALUES ('driver-locations', 0, ${i}, '{}', 'refused', ${NOW - age * DAY_MS})`;
    }
    const report = await retention(sql, 2).run(NOW); // batches of 2: 2 + 1
    assert.equal(report.deadLettersDeleted, 3);
    const left = await sql`SELECT kafka_offset FROM dead_letters ORDER BY kafka_offset`;
    assert.deepEqual(left.map((r) => Number(r.kafka_offset)), [3, 4]);
    assert.equal((await retention(sql).run(NOW)).deadLettersDeleted, 0);
  });
});

Deno.test("retention gives up on a partition whose lock a long read holds, instead of queueing the inserts behind it", async () => {
  await withSchema(async (connect) => {
    const sql = connect();
    await migrate(sql);
    await createDayPartitions(sql, [day(2029, 12, 1)], "test");
    const reader = await connect(1).reserve();
    await reader`BEGIN`;
    await reader`SELECT count(*) FROM driver_locations`; // holds ACCESS SHARE until COMMIT
    const quick = new PostgresRetention(sql, {
      historyRetentionDays: 30,
      orderRetentionDays: 90,
      deadLetterRetentionDays: 14,
      lockTimeoutMs: 200,
    });
    const started = performance.now();
    await assert.rejects(quick.run(NOW), (e: { code?: string }) => e.code === "55P03");
    assert.ok(performance.now() - started < 3_000);
    await reader`COMMIT`;
    reader.release();
    assert.ok((await quick.run(NOW)).dropped.includes("driver_locations_p20291201"));
  });
});
