/** A latitude/longitude box with the latitude where the north and south regions meet. */
export interface Area {
  readonly minLat: number;
  readonly maxLat: number;
  readonly minLon: number;
  readonly maxLon: number;
  /** Fixes at or above this latitude belong to the north region, below it to the south. */
  readonly splitLat: number;
}

/**
 * The service's default regions file: Bengaluru split into north and south at lat 12.97.
 * Fixes outside the box go to the catch-all region; the simulator stays inside it.
 */
export const BENGALURU_AREA: Area = Object.freeze({
  minLat: 12.85,
  maxLat: 13.15,
  minLon: 77.45,
  maxLon: 77.75,
  splitLat: 12.97,
});
