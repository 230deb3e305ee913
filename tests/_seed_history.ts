import type { Sql } from "../infra/postgres/connect_postgres.ts";
import { createDayPartitions, daysOf } from "../infra/postgres/history_partitions.ts";

/**
 * Stores `rows` history rows of `driverId` in one statement (`generate_series`), one every
 * `stepMs` from `t0`, after creating the day partitions they fall in: the history that the stream
 * tests and `bench/attacks/stream_hold.ts` read back.
 */
export async function seedHistory(
  sql: Sql,
  driverId: string,
  options: { readonly t0: number; readonly rows: number; readonly stepMs: number },
): Promise<void> {
  const { t0, rows, stepMs } = options;
  await createDayPartitions(sql, daysOf([t0, t0 + rows * stepMs]), "seed");
  await sql`
    INSERT INTO driver_locations
      (driver_id, seq, ts, lat, lon, speed, heading, accuracy, region, received_at)
    SELECT ${driverId}, g, ${t0}::bigint + g * ${stepMs}::int, 12.9 + g * 1e-7, 77.6 - g * 1e-7,
      8.5, 90, 5, 'south', ${t0}::bigint + g * ${stepMs}::int + 40
    FROM generate_series(1, ${rows}::int) AS g`;
}
