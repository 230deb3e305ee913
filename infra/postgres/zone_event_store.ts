import type { ZoneEvent, ZoneEventKind } from "../../domain/zone_event.ts";
import type { ZoneBatch, ZoneEventStore } from "../../domain/zone_event_store.ts";
import type { ZonePresence } from "../../domain/zone_presence.ts";
import type { Sql } from "./connect_postgres.ts";

const _PRESENCE_COLUMNS = `"driverId" text, "zoneId" text, episode int, inside boolean, ` +
  `"enteredTs" bigint, dwelt boolean, "lastTs" bigint`;
const _EVENT_COLUMNS = `id text, "zoneId" text, "zoneName" text, "restaurantId" text, ` +
  `"driverId" text, kind text, episode int, ts bigint, lat float8, lon float8`;

/** {@linkcode ZoneEventStore} on `zone_presence` and `zone_events` (migration 008). */
export class PostgresZoneEventStore implements ZoneEventStore {
  #sql: Sql;

  /** Uses `sql`'s pool. */
  constructor(sql: Sql) {
    this.#sql = sql;
  }

  /** {@inheritDoc ZoneEventStore.driversInside} */
  async driversInside(): Promise<string[]> {
    const rows = await this.#sql<{ driver_id: string }[]>`
      SELECT DISTINCT driver_id FROM zone_presence WHERE inside`;
    return rows.map((r) => r.driver_id);
  }

  /** {@inheritDoc ZoneEventStore.presenceOf} */
  async presenceOf(driverIds: readonly string[]): Promise<ZonePresence[]> {
    if (driverIds.length === 0) return [];
    const rows = await this.#sql<_PresenceRow[]>`
      SELECT driver_id, zone_id, episode, inside, entered_ts, dwelt, last_ts
      FROM zone_presence WHERE driver_id = ANY(${driverIds as string[]})`;
    return rows.map((r) => ({
      driverId: r.driver_id,
      zoneId: r.zone_id,
      episode: r.episode,
      inside: r.inside,
      enteredTs: Number(r.entered_ts),
      dwelt: r.dwelt,
      lastTs: Number(r.last_ts),
    }));
  }

  /** {@inheritDoc ZoneEventStore.record} */
  async record(batch: ZoneBatch, now: number): Promise<void> {
    await this.#sql.begin(async (tx) => {
      if (batch.events.length > 0) {
        await tx`
          INSERT INTO zone_events (id, zone_id, zone_name, restaurant_id, driver_id, kind,
                                   episode, ts, lat, lon, partition, created_at)
          SELECT id, "zoneId", "zoneName", "restaurantId", "driverId", kind, episode, ts, lat,
                 lon, ${batch.partition}, ${now}
          FROM json_to_recordset(${JSON.stringify(batch.events)}::text::json)
            AS r(${tx.unsafe(_EVENT_COLUMNS)})
          ON CONFLICT DO NOTHING`;
      }
      if (batch.presences.length === 0) return;
      // Only zones that still exist: one deleted meanwhile takes its presences with it.
      await tx`
        INSERT INTO zone_presence (driver_id, zone_id, episode, inside, entered_ts, dwelt, last_ts)
        SELECT r."driverId", r."zoneId", r.episode, r.inside, r."enteredTs", r.dwelt, r."lastTs"
        FROM json_to_recordset(${JSON.stringify(batch.presences)}::text::json)
          AS r(${tx.unsafe(_PRESENCE_COLUMNS)})
        JOIN zones z ON z.id = r."zoneId"
        ON CONFLICT (driver_id, zone_id) DO UPDATE SET
          episode = excluded.episode, inside = excluded.inside,
          entered_ts = excluded.entered_ts, dwelt = excluded.dwelt, last_ts = excluded.last_ts
        WHERE zone_presence.last_ts < excluded.last_ts`;
    });
  }

  /** {@inheritDoc ZoneEventStore.unpublished} */
  async unpublished(partition: number): Promise<ZoneEvent[]> {
    const rows = await this.#sql<_EventRow[]>`
      SELECT * FROM zone_events WHERE partition = ${partition} AND NOT published
      ORDER BY created_at, ts, id LIMIT 10000`;
    return rows.map(_toEvent);
  }

  /** {@inheritDoc ZoneEventStore.markPublished} */
  async markPublished(id: string): Promise<void> {
    await this.#sql`UPDATE zone_events SET published = true WHERE id = ${id} AND NOT published`;
  }

  /** {@inheritDoc ZoneEventStore.recent} */
  async recent(limit: number): Promise<ZoneEvent[]> {
    const rows = await this.#sql<_EventRow[]>`
      SELECT * FROM zone_events ORDER BY created_at DESC, ts DESC LIMIT ${limit}`;
    return rows.map(_toEvent);
  }
}

interface _PresenceRow {
  driver_id: string;
  zone_id: string;
  episode: number;
  inside: boolean;
  entered_ts: string;
  dwelt: boolean;
  last_ts: string;
}

interface _EventRow {
  id: string;
  zone_id: string;
  zone_name: string;
  restaurant_id: string | null;
  driver_id: string;
  kind: ZoneEventKind;
  episode: number;
  ts: string;
  lat: number;
  lon: number;
  created_at: string;
}

function _toEvent(r: _EventRow): ZoneEvent {
  return {
    id: r.id,
    zoneId: r.zone_id,
    zoneName: r.zone_name,
    restaurantId: r.restaurant_id,
    driverId: r.driver_id,
    kind: r.kind,
    episode: r.episode,
    ts: Number(r.ts),
    lat: r.lat,
    lon: r.lon,
    createdAt: Number(r.created_at),
  };
}
