import type { NewZone, Zone } from "./zone.ts";

/** Zones, as ops define them; implemented by `PostgresZoneStore` in `infra/postgres/`. */
export interface ZoneStore {
  /** Stores a new zone under a new id; returns it. */
  create(zone: NewZone, now: number): Promise<Zone>;
  /** Every zone, oldest first. */
  list(): Promise<Zone[]>;
  /** The zone with this id, or undefined. */
  get(id: string): Promise<Zone | undefined>;
  /** Deletes a zone (and where drivers stand with it); false when there was none. */
  delete(id: string): Promise<boolean>;
  /** Changes whenever a zone is made or deleted on any instance: a cheap test before a re-read. */
  fingerprint(): Promise<string>;
  /** Whether any order names this restaurant (restaurants are known by their orders). */
  restaurantKnown(restaurantId: string): Promise<boolean>;
}
