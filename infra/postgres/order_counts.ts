import type { Sql } from "./connect_postgres.ts";

/** Counts orders that are not delivered or cancelled (partial index `orders_active_by_driver` helps). */
export async function countActiveOrders(sql: Sql): Promise<number> {
  const [row] = await sql<{ n: string }[]>`
    SELECT count(*) AS n FROM orders WHERE status IN ('created', 'assigned', 'picked_up')`;
  return Number(row?.n ?? 0);
}

/** The driver and status of every assigned or picked-up order (the partial index serves it). */
export async function activeDriverOrders(
  sql: Sql,
): Promise<{ driverId: string; status: string }[]> {
  const rows = await sql<{ driver_id: string; status: string }[]>`
    SELECT driver_id, status FROM orders
    WHERE status IN ('assigned', 'picked_up') AND driver_id IS NOT NULL`;
  return rows.map((r) => ({ driverId: r.driver_id, status: r.status }));
}
