import assert from "node:assert/strict";
import type { Sql } from "../infra/postgres/connect_postgres.ts";
import { eventually } from "./_support.ts";
import type { TestFix } from "./_driver_client.ts";

/**
 * Waits until PostgreSQL holds as many rows as fixes sent, then asserts each driver's history is
 * exactly its fixes: no duplicate, no gap.
 */
export async function assertHistoryExact(
  sql: Sql,
  fixesByDriver: ReadonlyMap<string, readonly TestFix[]>,
  timeoutMs = 60_000,
): Promise<void> {
  const ids = [...fixesByDriver.keys()];
  const total = [...fixesByDriver.values()].reduce((n, f) => n + f.length, 0);
  let stored = 0;
  await eventually("history caught up", async () => {
    const [row] =
      await sql`select count(*)::int as n from driver_locations where driver_id = any(${ids})`;
    stored = row!.n;
    return stored >= total;
  }, timeoutMs).catch((error) => {
    throw new Error(`${error.message}: ${stored} of ${total} fixes stored`);
  });
  const rows = await sql<{ driver_id: string; ts: string }[]>`
    select driver_id, ts from driver_locations where driver_id = any(${ids})`;
  assert.equal(rows.length, total, "each fix stored exactly once");
  const byDriver = Map.groupBy(rows, (r) => r.driver_id);
  for (const [id, fixes] of fixesByDriver) {
    const stored = (byDriver.get(id) ?? []).map((r) => Number(r.ts)).sort((a, b) => a - b);
    assert.deepEqual(stored, fixes.map((f) => f.ts), `history of ${id}`);
  }
}
