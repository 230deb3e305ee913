import assert from "node:assert/strict";
import type { Sql } from "../infra/postgres/connect_postgres.ts";
import { eventually, token } from "./_support.ts";

/** A stored history row, as the phone tests read it. */
export interface PhoneRow {
  readonly ts: number;
  readonly seq: number;
  readonly lat: number;
  readonly lon: number;
  readonly speed: number | null;
  readonly heading: number | null;
  readonly accuracy: number | null;
}

/** Registers a phone for `driverId` as ops (`POST /drivers/:id/devices`); its id and key. */
export async function registerDevice(
  base: string,
  driverId: string,
): Promise<{ id: string; key: string }> {
  const res = await fetch(`${base}/drivers/${encodeURIComponent(driverId)}/devices`, {
    method: "POST",
    headers: { Authorization: `Bearer ${await token("ops", "ops")}` },
  });
  const body = await res.json();
  assert.equal(res.status, 201, JSON.stringify(body));
  return { id: body.device.id, key: body.key };
}

/** Waits until `driverId` has `count` history rows (never more), and returns them by `ts`. */
export async function historyRows(sql: Sql, driverId: string, count: number): Promise<PhoneRow[]> {
  let rows: PhoneRow[] = [];
  await eventually(`${count} rows of ${driverId}`, async () => {
    rows = (await sql`
      select ts, seq, lat, lon, speed, heading, accuracy from driver_locations
      where driver_id = ${driverId} order by ts`).map((r) => ({
      ts: Number(r.ts),
      seq: Number(r.seq),
      lat: r.lat,
      lon: r.lon,
      speed: r.speed,
      heading: r.heading,
      accuracy: r.accuracy,
    }));
    return rows.length >= count;
  });
  assert.equal(rows.length, count, `exactly ${count} rows of ${driverId}`);
  return rows;
}

/** Asserts `actual` is within a PostgreSQL `real`'s precision of `expected` (or both null). */
export function assertReal(actual: number | null, expected: number | null, what: string): void {
  if (expected === null) return assert.equal(actual, null, what);
  assert.ok(
    actual !== null && Math.abs(actual - expected) <= 1e-5 * Math.max(1, Math.abs(expected)),
    `${what}: ${actual} != ${expected}`,
  );
}
