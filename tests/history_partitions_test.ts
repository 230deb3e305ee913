// The history store on day partitions, against the PostgreSQL server at DATABASE_URL (a schema
// of its own per test): a day without a partition is created on demand, a fix past retention or
// too far ahead is refused by name and set aside by the history writer, reads prune partitions.
import assert from "node:assert/strict";
import type { LocationRecord } from "../domain/location_record.ts";
import { withSchema } from "./_pg_schema.ts";
import { migrate, PostgresHistoryStore, type Sql } from "../infra/postgres/mod.ts";
import {
  DAY_MS,
  dayPartitionName,
  listDayPartitions,
  utcDayStart,
} from "../infra/postgres/history_partitions.ts";
import { RowRejectedError } from "../domain/row_rejected_error.ts";
import { ActorSystem } from "../actors/runtime/mod.ts";
import { HISTORY, historyActorKind } from "../actors/history_actor.ts";
import type { ConsumedLocation } from "../domain/consumed_location.ts";

const NOW = Date.UTC(2030, 0, 10, 12); // 2030-01-10T12:00Z
const DAY = utcDayStart(NOW);

function fix(driverId: string, ts: number, seq = 1): LocationRecord {
  return { driverId, seq, ts, lat: 12.9, lon: 77.5, region: "blr", receivedAt: ts + 40 };
}

function withSql(fn: (sql: Sql) => Promise<void>): Promise<void> {
  return withSchema(async (connect) => {
    const sql = connect(4);
    await migrate(sql);
    await fn(sql);
  });
}

function store(sql: Sql, created: string[] = []) {
  return new PostgresHistoryStore(sql, {
    retentionDays: 30,
    now: () => NOW,
    onPartitionsCreated: (names) => created.push(...names),
  });
}

Deno.test("insertBatch creates the partitions of days that have none, once, even when two instances race", async () => {
  await withSql(async (sql) => {
    const created: string[] = [];
    const a = store(sql, created);
    const b = store(sql, created);
    const days = [DAY - 29 * DAY_MS, DAY - 5 * DAY_MS, DAY + 3 * DAY_MS];
    const rows = days.map((d, i) => fix("d1", d + 1_000, i));
    const [na, nb] = await Promise.all([a.insertBatch(rows), b.insertBatch(rows)]);
    assert.equal(na! + nb!, 3);
    assert.deepEqual(created.sort(), days.map(dayPartitionName));
    const names = (await listDayPartitions(sql)).map((p) => p.name);
    for (const d of days) assert.ok(names.includes(dayPartitionName(d)));
    assert.equal(await a.insertBatch([fix("d2", days[1]! + 5)]), 1);
    assert.equal(created.length, 3);
    assert.deepEqual(
      (await a.history("d1", { limit: 10 })).map((r) => r.ts),
      rows.map((r) => r.ts),
    );
  });
});

Deno.test("insertBatch refuses a fix past HISTORY_RETENTION_DAYS or beyond today+3, naming why, and stores nothing of the batch", async () => {
  await withSql(async (sql) => {
    const s = store(sql);
    const before = (await listDayPartitions(sql)).length;
    const old = DAY - 31 * DAY_MS; // its day ended 30.5 days before NOW
    await assert.rejects(
      s.insertBatch([fix("d1", DAY + 1), fix("d1", old)]),
      (e: Error) => e instanceof RowRejectedError && /HISTORY_RETENTION_DAYS=30/.test(e.message),
    );
    await assert.rejects(
      s.insertBatch([fix("d1", DAY + 4 * DAY_MS)]),
      (e: Error) => e instanceof RowRejectedError && /more than 3 days ahead/.test(e.message),
    );
    assert.equal((await listDayPartitions(sql)).length, before);
    assert.equal(await s.latest("d1"), undefined);
    // The edges: the oldest day still kept, and today + 3.
    assert.equal(
      await s.insertBatch([fix("d1", DAY - 30 * DAY_MS), fix("d1", DAY + 4 * DAY_MS - 1)]),
      2,
    );
  });
});

Deno.test("HistoryActor on the store sets a fix past retention aside in dead_letters and stores the rest", async () => {
  await withSql(async (sql) => {
    const system = new ActorSystem();
    system.register(
      HISTORY,
      historyActorKind({ store: store(sql), options: { flushRows: 10, flushMs: 10 } }),
    );
    const commits: bigint[] = [];
    const tss = [DAY - 2 * DAY_MS, DAY - 200 * DAY_MS, DAY + 1, DAY + 2];
    const records: ConsumedLocation[] = tss.map((ts, i) => ({
      record: fix("d1", ts, i),
      topic: "driver-locations",
      partition: 0,
      offset: BigInt(i),
      commit: () => Promise.resolve(void commits.push(BigInt(i))),
    }));
    const ref = system.ref(HISTORY, "0");
    await ref.ask<void>((replyTo) => ({ type: "records", records, replyTo }));
    await ref.ask<void>((replyTo) => ({ type: "drain", replyTo }));
    await system.shutdown();
    const stored = await sql`SELECT ts FROM driver_locations ORDER BY ts`;
    assert.deepEqual(stored.map((r) => Number(r.ts)), [tss[0], tss[2], tss[3]]);
    const letters = await sql`SELECT kafka_offset, error FROM dead_letters`;
    assert.equal(letters.length, 1);
    assert.equal(letters[0]?.kafka_offset, "1");
    assert.match(
      letters[0]?.error,
      /older than the history retention \(HISTORY_RETENTION_DAYS=30\)/,
    );
    assert.equal(commits.at(-1), 3n);
  });
});

/** The partitions a plan reads (the relations of its scans). */
async function scanned(sql: Sql, query: string): Promise<string[]> {
  const [row] = await sql.unsafe(`EXPLAIN (FORMAT JSON) ${query}`);
  const names: string[] = [];
  const walk = (node: Record<string, unknown>) => {
    if (typeof node["Relation Name"] === "string") names.push(node["Relation Name"]);
    for (const child of (node["Plans"] as Record<string, unknown>[] | undefined) ?? []) walk(child);
  };
  walk((row!["QUERY PLAN"] as { Plan: Record<string, unknown> }[])[0]!.Plan);
  return names.sort();
}

Deno.test("a history read with a time range only reads the partitions of its days", async () => {
  await withSql(async (sql) => {
    const s = store(sql);
    await s.insertBatch([0, 1, 2, 3].map((i) => fix("d1", DAY - i * DAY_MS + 1_000, i)));
    const from = DAY - DAY_MS + 5_000;
    const to = DAY + 5_000;
    const plan = await scanned(
      sql,
      `SELECT * FROM driver_locations WHERE driver_id = 'd1' AND ts >= ${from} AND ts <= ${to}
       ORDER BY ts LIMIT 100`,
    );
    assert.deepEqual(plan, [dayPartitionName(DAY - DAY_MS), dayPartitionName(DAY)]);
    assert.deepEqual(
      (await s.history("d1", { from, to, limit: 100 })).map((r) => r.ts),
      [DAY + 1_000],
    );
  });
});
