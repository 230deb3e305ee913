import type { ZoneEvent } from "./zone_event.ts";
import type { ZonePresence } from "./zone_presence.ts";

/** What one judged batch of fixes stores at once. */
export interface ZoneBatch {
  /** The Kafka partition the fixes came from: its judge publishes what is left unpublished. */
  readonly partition: number;
  /** Presences that changed, the newest per zone and driver. */
  readonly presences: readonly ZonePresence[];
  /** Events decided, in order; stored once each (a redelivered batch adds nothing). */
  readonly events: readonly Omit<ZoneEvent, "createdAt">[];
}

/**
 * Where drivers stand with zones and the events decided; implemented by `PostgresZoneEventStore`
 * in `infra/postgres/`. An event is unique per zone, driver, kind and visit, cluster-wide.
 */
export interface ZoneEventStore {
  /** Drivers inside at least one zone (read when a judge starts). */
  driversInside(): Promise<string[]>;
  /** The stored presences of these drivers, in every zone. */
  presenceOf(driverIds: readonly string[]): Promise<ZonePresence[]>;
  /**
   * In one transaction: the events (`INSERT ... ON CONFLICT DO NOTHING`) and the presences (a
   * stored presence changes only for a newer `lastTs`).
   */
  record(batch: ZoneBatch, now: number): Promise<void>;
  /** Events of a partition not yet marked published, oldest first. */
  unpublished(partition: number): Promise<ZoneEvent[]>;
  /** Marks an event as published to Kafka. */
  markPublished(id: string): Promise<void>;
  /** The newest events, newest first. */
  recent(limit: number): Promise<ZoneEvent[]>;
}
