import assert from "node:assert/strict";
import postgres from "postgres";
import { HistoryRows } from "../bench/history_rows.ts";
import { DATABASE_URL, runId } from "./_support.ts";

Deno.test("HistoryRows counts and removes one bench run's rows by driver-id prefix, and no others", async () => {
  const table = `bench_rows_${runId()}`;
  const sql = postgres(DATABASE_URL, { max: 1, onnotice: () => {} });
  const rows = new HistoryRows(DATABASE_URL, table);
  try {
    await sql`CREATE TABLE ${sql(table)} (driver_id text NOT NULL, ts bigint NOT NULL)`;
    const ids = ["run1-5kfps-1", "run1-5kfps-2", "run1-10kfps-1", "run10-5kfps-1", "other"];
    for (const id of ids) await sql`INSERT INTO ${sql(table)} VALUES (${id}, 1)`;
    assert.equal(await rows.countPrefix("run1-5kfps"), 2);
    assert.equal(await rows.deletePrefix("run1-5kfps"), 2);
    assert.equal(await rows.countPrefix("run1-5kfps"), 0);
    const left = await sql<{ driver_id: string }[]>`
      SELECT driver_id FROM ${sql(table)} ORDER BY driver_id`;
    assert.deepEqual(left.map((r) => r.driver_id), ["other", "run1-10kfps-1", "run10-5kfps-1"]);
  } finally {
    await rows.close();
    await sql`DROP TABLE IF EXISTS ${sql(table)}`;
    await sql.end();
  }
});
