/**
 * How many history rows per second PostgreSQL takes through the history writer's own insert
 * (`PostgresHistoryStore.insertBatch`, one `INSERT ... json_to_recordset ... ON CONFLICT DO NOTHING` per
 * batch), with `--writers` connections inserting batches of `--batch` new rows side by side (one
 * writer per Kafka partition being flushed at once). Use a database of its own: rows are left.
 *
 *   deno run -A bench/history/history_insert_rate.ts --database-url postgres://.../db [--writers 1]
 *     [--batch 1000] [--seconds 10]
 *
 * @module
 */
import process from "node:process";
import { parseArgs } from "node:util";
import { connectPostgres } from "../../infra/postgres/connect_postgres.ts";
import { PostgresHistoryStore } from "../../infra/postgres/history_store.ts";
import type { LocationRecord } from "../../domain/location_record.ts";
import { migrate } from "../../infra/postgres/migrate.ts";

/** What one measurement found. */
export interface InsertRate {
  writers: number;
  batch: number;
  seconds: number;
  rows: number;
  rowsPerSec: number;
  /** Median time of one batch insert, ms. */
  batchP50Ms: number;
  /**
   * This process's CPU (user + system) while batches were being inserted, µs per row: what the
   * store's encoding and the driver cost the service per row. Exact with one writer; with more,
   * it also holds the making of other writers' batches.
   */
  clientCpuUsPerRow: number;
}

/** Inserts batches of new rows with `writers` connections for `seconds`. */
export async function measureInsertRate(
  databaseUrl: string,
  o: { writers: number; batch: number; seconds: number },
): Promise<InsertRate> {
  const sql = connectPostgres(databaseUrl, { max: o.writers });
  try {
    await migrate(sql);
    const store = new PostgresHistoryStore(sql);
    const run = crypto.randomUUID().slice(0, 8);
    const durations: number[] = [];
    let rows = 0;
    let cpuUs = 0;
    const started = performance.now();
    const end = started + o.seconds * 1000;
    await Promise.all(Array.from({ length: o.writers }, async (_, w) => {
      for (let b = 0; performance.now() < end; b++) {
        const batch = _batch(`rate-${run}-${w}`, b, o.batch);
        const t = performance.now();
        const cpu = process.cpuUsage();
        rows += await store.insertBatch(batch);
        const used = process.cpuUsage(cpu);
        cpuUs += used.user + used.system;
        durations.push(performance.now() - t);
      }
    }));
    const seconds = (performance.now() - started) / 1000;
    durations.sort((a, b) => a - b);
    return {
      ...o,
      seconds: Math.round(seconds * 10) / 10,
      rows,
      rowsPerSec: Math.round(rows / seconds),
      batchP50Ms: Math.round(durations[Math.floor(durations.length / 2)]! * 10) / 10,
      clientCpuUsPerRow: Math.round((cpuUs / Math.max(1, rows)) * 100) / 100,
    };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** `size` fixes of 1,000 drivers, batch `b` of a writer: new (driver, ts) keys each time. */
function _batch(prefix: string, b: number, size: number): LocationRecord[] {
  const now = Date.now();
  return Array.from({ length: size }, (_, i) => ({
    driverId: `${prefix}-${i % 1000}`,
    seq: now + i,
    ts: 1_700_000_000_000 + b * size + i,
    lat: 12.9 + (i % 100) * 0.001,
    lon: 77.6 + (i % 100) * 0.001,
    speed: 8,
    heading: 90,
    accuracy: 5,
    region: "south",
    receivedAt: now,
  }));
}

if (import.meta.main) {
  const { values: v } = parseArgs({
    args: Deno.args,
    options: {
      "database-url": { type: "string" },
      writers: { type: "string", default: "1" },
      batch: { type: "string", default: "1000" },
      seconds: { type: "string", default: "10" },
    },
  });
  const url = v["database-url"] ?? Deno.env.get("DATABASE_URL");
  if (!url) throw new Error("--database-url (a database of its own: rows are left there)");
  const rate = await measureInsertRate(url, {
    writers: Number(v.writers),
    batch: Number(v.batch),
    seconds: Number(v.seconds),
  });
  console.log(JSON.stringify(rate));
}
