import assert from "node:assert/strict";
import postgres from "postgres";
import { ThrowawayPostgres } from "./_throwaway_postgres.ts";
import { DATABASE_URL } from "./_support.ts";

Deno.test("ThrowawayPostgres stops and starts on the same data; the shared server stays up", async () => {
  const pg = await ThrowawayPostgres.start();
  const connect = () => postgres(pg.url, { max: 1, connect_timeout: 5, onnotice: () => {} });
  try {
    assert.match(pg.url, /^postgres:\/\/postgres@127\.0\.0\.1:\d+\/test$/);
    assert.notEqual(pg.port, 5432);
    let sql = connect();
    try {
      await sql`CREATE TABLE kept (n int)`;
      await sql`INSERT INTO kept VALUES (42)`;
      const [row] = await sql`SELECT current_database() AS db, n FROM kept`;
      assert.deepEqual({ ...row }, { db: "test", n: 42 });
    } finally {
      await sql.end();
    }

    await pg.stop();
    sql = connect();
    try {
      await assert.rejects(sql`SELECT 1`, /ECONNREFUSED|connect|closed/i);
    } finally {
      await sql.end();
    }
    const shared = postgres(DATABASE_URL, { max: 1, connect_timeout: 5 });
    try {
      const [one] = await shared`SELECT 1 AS one`;
      assert.equal(one?.one, 1, "the shared server on 5432 is untouched");
    } finally {
      await shared.end();
    }

    await pg.start();
    sql = connect();
    try {
      const [row] = await sql`SELECT n FROM kept`;
      assert.equal(row?.n, 42, "data survives the restart");
    } finally {
      await sql.end();
    }
  } finally {
    await pg.close();
  }
  await assert.rejects(Deno.stat(pg.dir), Deno.errors.NotFound);
});
