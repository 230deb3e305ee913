import type { OrderTimes } from "../../domain/track_window.ts";
import type { Sql } from "./connect_postgres.ts";

/**
 * When the order `id` was assigned, picked up and delivered (the columns of migration 005,
 * set by `PostgresOrderStore.transition`), or `undefined` for an unknown order.
 */
export async function readOrderTimes(sql: Sql, id: string): Promise<OrderTimes | undefined> {
  const rows = await sql<{ a: string | null; p: string | null; d: string | null }[]>`
    SELECT assigned_at AS a, picked_up_at AS p, delivered_at AS d FROM orders WHERE id = ${id}`;
  const row = rows[0];
  if (row === undefined) return undefined;
  const ms = (v: string | null) => v === null ? null : Number(v);
  return { assignedAt: ms(row.a), pickedUpAt: ms(row.p), deliveredAt: ms(row.d) };
}
