import type { NewZone, Zone, ZoneShape } from "../../domain/zone.ts";
import type { ZoneStore } from "../../domain/zone_store.ts";
import type { Sql } from "./connect_postgres.ts";

/** {@linkcode ZoneStore} on the `zones` table (migration 008). */
export class PostgresZoneStore implements ZoneStore {
  #sql: Sql;

  /** Uses `sql`'s pool. */
  constructor(sql: Sql) {
    this.#sql = sql;
  }

  /** {@inheritDoc ZoneStore.create} */
  async create(zone: NewZone, now: number): Promise<Zone> {
    const id = crypto.randomUUID();
    await this.#sql`
      INSERT INTO zones (id, name, restaurant_id, shape, dwell_s, created_by, created_at)
      VALUES (${id}, ${zone.name}, ${zone.restaurantId}, ${this.#sql.json(zone.shape)},
              ${zone.dwellSeconds}, ${zone.createdBy}, ${now})`;
    return { ...zone, id, createdAt: now };
  }

  /** {@inheritDoc ZoneStore.list} */
  async list(): Promise<Zone[]> {
    const rows = await this.#sql<_ZoneRow[]>`SELECT * FROM zones ORDER BY created_at, id`;
    return rows.map(_toZone);
  }

  /** {@inheritDoc ZoneStore.get} */
  async get(id: string): Promise<Zone | undefined> {
    const rows = await this.#sql<_ZoneRow[]>`SELECT * FROM zones WHERE id = ${id}`;
    return rows[0] && _toZone(rows[0]);
  }

  /** {@inheritDoc ZoneStore.delete} */
  async delete(id: string): Promise<boolean> {
    const rows = await this.#sql`DELETE FROM zones WHERE id = ${id} RETURNING 1`;
    return rows.length > 0;
  }

  /** {@inheritDoc ZoneStore.fingerprint} */
  async fingerprint(): Promise<string> {
    const [row] = await this.#sql<{ n: string; newest: string; ids: string }[]>`
      SELECT count(*)::text AS n, coalesce(max(created_at), 0)::text AS newest,
             coalesce(sum(hashtext(id)::bigint), 0)::text AS ids
      FROM zones`;
    return `${row!.n}:${row!.newest}:${row!.ids}`;
  }

  /** {@inheritDoc ZoneStore.restaurantKnown} */
  async restaurantKnown(restaurantId: string): Promise<boolean> {
    const rows = await this
      .#sql`SELECT 1 FROM orders WHERE restaurant_id = ${restaurantId} LIMIT 1`;
    return rows.length > 0;
  }
}

interface _ZoneRow {
  id: string;
  name: string;
  restaurant_id: string | null;
  shape: ZoneShape;
  dwell_s: number;
  created_by: string;
  created_at: string | number;
}

function _toZone(r: _ZoneRow): Zone {
  return {
    id: r.id,
    name: r.name,
    restaurantId: r.restaurant_id,
    shape: r.shape,
    dwellSeconds: r.dwell_s,
    createdBy: r.created_by,
    createdAt: Number(r.created_at),
  };
}
