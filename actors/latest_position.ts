import type { LocationRecord } from "../domain/location_record.ts";

/** A place that may know a driver's newest fix. */
export type PositionSource = (driverId: string) => Promise<LocationRecord | undefined>;

/** Where a driver's newest fix may be known, freshest first. */
export interface PositionSources {
  /** This instance's actor of the driver (its newest accepted fix), if it has one. */
  readonly own: PositionSource;
  /** The live view: the newest fix this instance read for its viewers. */
  readonly live: PositionSource;
  /** PostgreSQL: the newest stored fix. */
  readonly stored: PositionSource;
}

/**
 * The newest fix known for a driver: this instance's driver actor first, then its live view, then
 * what is stored; each source is asked only when the fresher ones know nothing.
 */
export function latestPosition(sources: PositionSources): PositionSource {
  return async (driverId) =>
    (await sources.own(driverId)) ?? (await sources.live(driverId)) ??
      (await sources.stored(driverId));
}
