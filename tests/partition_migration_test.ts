// Migration 004 turns an unpartitioned driver_locations with rows in place into day partitions
// without losing a row, on the PostgreSQL server at DATABASE_URL (a schema of its own) and on
// the embedded PGlite of `deno task dev`.
import assert from "node:assert/strict";
import { withSchema } from "./_pg_schema.ts";
import {
  connectPostgres,
  migrate,
  PostgresHistoryStore,
  readMigrations,
  type Sql,
  startEmbeddedPostgres,
} from "../infra/postgres/mod.ts";
import {
  DAY_MS,
  dayPartitionName,
  listDayPartitions,
  utcDayStart,
} from "../infra/postgres/history_partitions.ts";
import { PostgresRetention } from "../infra/postgres/postgres_retention.ts";

const DAY0 = Date.UTC(2024, 10, 23); // 2024-11-23

/** Rows over four days, on and next to the day boundaries, for several drivers. */
const TIMES = [
  DAY0,
  DAY0 + 1,
  DAY0 + DAY_MS - 1,
  DAY0 + DAY_MS,
  DAY0 + 2 * DAY_MS + 43_200_000,
  DAY0 + 5 * DAY_MS - 1,
];

async function migrateUpTo003(sql: Sql): Promise<void> {
  const all = await readMigrations();
  await migrate(sql, { migrations: all.filter((m) => m.name < "004") });
}

async function fillOldTable(sql: Sql): Promise<void> {
  await sql`INSERT INTO driver_locations
      (driver_id, seq, ts, lat, lon, speed, heading, accuracy, region, received_at)
    SELECT 'd' || d, t.i, t.ts, 12.9 + d / 100.0, 77.5, CASE WHEN d = 1 THEN NULL ELSE 8.5 END,
      90, 5, 'blr', t.ts + 40
    FROM generate_series(1, 3) AS d,
      unnest(${TIMES}::bigint[]) WITH ORDINALITY AS t(ts, i)`;
}

const ALL = `SELECT driver_id, seq, ts, lat, lon, speed, heading, accuracy, region, received_at
  FROM driver_locations ORDER BY driver_id, ts`;

/** Migrates an old table with rows to the partitioned one and checks every row and partition. */
async function checkMigration(sql: Sql): Promise<void> {
  await migrateUpTo003(sql);
  await fillOldTable(sql);
  const before = await sql.unsafe(ALL);
  assert.equal(before.length, 3 * TIMES.length);
  assert.equal((await migrate(sql))[0], "004_partition_driver_locations.sql");
  const after = await sql.unsafe(ALL);
  assert.deepEqual(after, before);
  const placed = await sql<{ partition: string; ts: string }[]>`
    SELECT tableoid::regclass::text AS partition, ts FROM driver_locations`;
  for (const row of placed) {
    assert.equal(row.partition, dayPartitionName(utcDayStart(Number(row.ts))));
  }
  const [kind] = await sql`SELECT c.relkind FROM pg_class c
    WHERE c.oid = 'driver_locations'::regclass`;
  assert.equal(kind?.relkind, "p"); // partitioned table
  const [old] = await sql`SELECT to_regclass('driver_locations_unpartitioned') AS t`;
  assert.equal(old?.t, null);
  const names = (await listDayPartitions(sql)).map((p) => p.name);
  for (const day of ["20241123", "20241124", "20241125", "20241127"]) {
    assert.ok(names.includes(`driver_locations_p${day}`), day);
  }
  assert.ok(names.includes(dayPartitionName(utcDayStart(Date.now()))), "today is made too");
}

Deno.test("migration 004 moves every row of the old driver_locations into its day partition", async () => {
  await withSchema(async (connect) => {
    await checkMigration(connect());
  });
});

Deno.test("migration 004, partitions on demand and a retention round work on the embedded PGlite", async () => {
  const pg = await startEmbeddedPostgres({ dataDir: "memory://" });
  const sql = connectPostgres(pg.url);
  try {
    await checkMigration(sql);
    const store = new PostgresHistoryStore(sql);
    const ts = utcDayStart(Date.now()) - 3 * DAY_MS; // a day without a partition yet
    const row = { driverId: "d9", seq: 1, ts, lat: 1, lon: 1, region: "r", receivedAt: ts };
    assert.equal(await store.insertBatch([row]), 1);
    assert.deepEqual(await store.latest("d9"), row);
    const retention = new PostgresRetention(sql, {
      historyRetentionDays: 30,
      orderRetentionDays: 90,
      deadLetterRetentionDays: 14,
    });
    const report = await retention.run(Date.now());
    assert.equal(report.ran, true);
    assert.deepEqual(report.dropped, [
      "driver_locations_p20241123",
      "driver_locations_p20241124",
      "driver_locations_p20241125",
      "driver_locations_p20241127",
    ]);
    assert.equal((await sql`SELECT count(*)::int AS n FROM driver_locations`)[0]?.n, 1);
  } finally {
    await sql.end();
    await pg.close();
  }
});
