import type { Sql } from "./connect_postgres.ts";

/** Counts orders that are not delivered or cancelled (partial index `orders_active_by_driver` helps). */
export async function countActiveOrders(sql: Sql): Promise<number> {
  const [row] = await sql<{ n: string }[]>`
    SELECT count(*) AS n FROM orders WHERE status IN ('created', 'assigned', 'picked_up')`;
  return Number(row?.n ?? 0);
}
