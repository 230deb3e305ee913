// Integration tests for infra/postgres against the PostgreSQL server at
// DATABASE_URL (default: the local test database). Each test works in a fresh
// schema of its own, dropped at the end, so tests are independent.
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
import type { LocationRecord } from "../domain/location_record.ts";

const T0 = 1_732_400_000_000;

/** A migrated store in a fresh schema. */
function withStore(fn: (store: PostgresHistoryStore, sql: Sql) => Promise<void>): Promise<void> {
  return withSchema(async (connect) => {
    const sql = connect();
    await migrate(sql);
    await fn(new PostgresHistoryStore(sql), sql);
  });
}

function fix(driverId: string, i: number, extra: Partial<LocationRecord> = {}): LocationRecord {
  return {
    driverId,
    seq: i,
    ts: T0 + i * 1000,
    lat: 12.97 + i / 1e4,
    lon: 77.59 - i / 1e4,
    speed: 8.25,
    heading: 90,
    accuracy: 5,
    region: "blr",
    receivedAt: T0 + i * 1000 + 40,
    ...extra,
  };
}

Deno.test("migrate applies the migrations once and a re-run is a no-op", async () => {
  await withSchema(async (connect) => {
    const sql = connect();
    assert.deepEqual(await migrate(sql), await _allMigrations());
    assert.deepEqual(await migrate(sql), []);
    const recorded = await sql`SELECT name FROM schema_migrations`;
    assert.deepEqual(recorded.map((r) => r.name), await _allMigrations());
  });
});

Deno.test("migrate from two instances at once applies each migration exactly once", async () => {
  await withSchema(async (connect) => {
    const [a, b] = await Promise.all([migrate(connect()), migrate(connect())]);
    // Each takes the migrations one at a time under a lock, so their shares may interleave
    // (a: 001, 002, 005; b: 003, 004); together they hold every migration once.
    assert.deepEqual([...a!, ...b!].sort(), await _allMigrations());
  });
});

Deno.test("migrate rolls back a failing migration and records nothing for it", async () => {
  await withSchema(async (connect) => {
    const sql = connect();
    const migrations = [
      { name: "001_ok.sql", sql: "CREATE TABLE ok (x int);" },
      { name: "002_bad.sql", sql: "CREATE TABLE half (x int); SELECT no_such_function();" },
    ];
    await assert.rejects(migrate(sql, { migrations }));
    const recorded = await sql`SELECT name FROM schema_migrations`;
    assert.deepEqual(recorded.map((r) => r.name), ["001_ok.sql"]);
    assert.equal((await sql`SELECT to_regclass('half') AS t`)[0]?.t, null);
  });
});

Deno.test("insertBatch inserts rows and reports how many were inserted", async () => {
  await withStore(async (store) => {
    assert.equal(await store.insertBatch([fix("d1", 1), fix("d1", 2), fix("d2", 1)]), 3);
    assert.equal(await store.insertBatch([]), 0);
    assert.deepEqual(await store.history("d1", { limit: 10 }), [fix("d1", 1), fix("d1", 2)]);
  });
});

Deno.test("insertBatch ignores a fix already stored under the same driver and ts, whatever its seq", async () => {
  await withStore(async (store) => {
    await store.insertBatch([fix("d1", 1), fix("d1", 2)]);
    const resent = fix("d1", 2, { seq: 99, lat: 0 }); // re-sent after a crash: new seq, same ts
    assert.equal(await store.insertBatch([resent, fix("d1", 3)]), 1);
    assert.deepEqual((await store.history("d1", { limit: 10 })).map((r) => r.seq), [1, 2, 3]);
  });
});

Deno.test("insertBatch ignores duplicates within one batch without an error", async () => {
  await withStore(async (store) => {
    assert.equal(await store.insertBatch([fix("d1", 1), fix("d1", 1), fix("d1", 2)]), 2);
  });
});

Deno.test("insertBatch stores a 20,000-row batch (far over 65,534 bind parameters as multi-row VALUES)", async () => {
  await withStore(async (store, sql) => {
    const rows = Array.from({ length: 20_000 }, (_, i) => fix(`d${i % 50}`, i));
    assert.equal(await store.insertBatch(rows), 20_000);
    assert.equal((await sql`SELECT count(*)::int AS n FROM driver_locations`)[0]?.n, 20_000);
  });
});

Deno.test("insertBatch stores hostile text as data and keeps missing measurements absent", async () => {
  await withStore(async (store) => {
    const id = `x'); DROP TABLE driver_locations; -- ,"{}\\ NULL`;
    const { speed: _s, heading: _h, accuracy: _a, ...row } = fix(id, 1, { region: "NULL" });
    assert.equal(await store.insertBatch([row]), 1);
    assert.deepEqual(await store.latest(id), row);
  });
});

Deno.test("history returns fixes in ascending ts order whatever the insert order", async () => {
  await withStore(async (store) => {
    await store.insertBatch([fix("d1", 3), fix("d1", 1), fix("d2", 2), fix("d1", 2)]);
    assert.deepEqual((await store.history("d1", { limit: 10 })).map((r) => r.seq), [1, 2, 3]);
  });
});

Deno.test("history filters by from and to, both inclusive", async () => {
  await withStore(async (store) => {
    await store.insertBatch(Array.from({ length: 10 }, (_, i) => fix("d1", i)));
    const rows = await store.history("d1", {
      from: fix("d1", 3).ts,
      to: fix("d1", 6).ts,
      limit: 100,
    });
    assert.deepEqual(rows.map((r) => r.seq), [3, 4, 5, 6]);
  });
});

Deno.test("history paginates with limit and an exclusive after cursor", async () => {
  await withStore(async (store) => {
    await store.insertBatch(Array.from({ length: 7 }, (_, i) => fix("d1", i)));
    const pages: number[][] = [];
    let after: number | undefined;
    for (;;) {
      const page = await store.history("d1", {
        limit: 3,
        ...(after === undefined ? {} : { after }),
      });
      if (page.length === 0) break;
      pages.push(page.map((r) => r.seq));
      after = page.at(-1)!.ts;
    }
    assert.deepEqual(pages, [[0, 1, 2], [3, 4, 5], [6]]);
  });
});

Deno.test("history rejects a limit outside 1..10000", async () => {
  await withStore(async (store) => {
    await assert.rejects(store.history("d1", { limit: 0 }), RangeError);
    await assert.rejects(store.history("d1", { limit: 10_001 }), RangeError);
  });
});

Deno.test("latest returns the newest fix by ts, or undefined for an unknown driver", async () => {
  await withStore(async (store) => {
    await store.insertBatch([fix("d1", 5), fix("d1", 9), fix("d1", 7)]);
    assert.equal((await store.latest("d1"))?.seq, 9);
    assert.equal(await store.latest("nobody"), undefined);
    await store.ping();
  });
});

Deno.test("latestOf returns each driver's newest fix across days in one read, and leaves out drivers with none", async () => {
  await withStore(async (store) => {
    const day = 86_400;
    await store.insertBatch([fix("d1", 5), fix("d1", 9 + day), fix("d2", 3), fix("d1", 7)]);
    const found = await store.latestOf(["d1", "nobody", "d2", "d1"]);
    assert.deepEqual([...found.keys()].sort(), ["d1", "d2"]);
    assert.deepEqual(found.get("d1"), await store.latest("d1"));
    assert.equal(found.get("d1")?.seq, 9 + day);
    assert.equal(found.get("d2")?.seq, 3);
    assert.equal((await store.latestOf([])).size, 0);
  });
});

Deno.test("embedded PGlite serves migrations, inserts and reads to postgres.js, and keeps data across restarts", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "pglite_" });
  try {
    let pg = await startEmbeddedPostgres({ dataDir });
    let sql = connectPostgres(pg.url);
    try {
      assert.deepEqual(await migrate(sql), await _allMigrations());
      const store = new PostgresHistoryStore(sql);
      assert.equal(await store.insertBatch([fix("d1", 1), fix("d1", 2), fix("d1", 2)]), 2);
      assert.deepEqual(await store.history("d1", { limit: 10 }), [fix("d1", 1), fix("d1", 2)]);
    } finally {
      await sql.end();
      await pg.close();
    }
    pg = await startEmbeddedPostgres({ dataDir });
    sql = connectPostgres(pg.url);
    try {
      assert.deepEqual(await migrate(sql), []);
      assert.deepEqual(await new PostgresHistoryStore(sql).latest("d1"), fix("d1", 2));
    } finally {
      await sql.end();
      await pg.close();
    }
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

async function _allMigrations(): Promise<string[]> {
  return (await readMigrations()).map((m) => m.name);
}
