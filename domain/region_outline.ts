/** One region's outline as the pages draw it; coordinates are [lon, lat]. */
export interface RegionOutline {
  readonly name: string;
  readonly partition: number;
  /** `[west, south, east, north]`, present for box regions. */
  readonly bbox?: readonly [number, number, number, number];
  /** Vertices `[lon, lat]`, present for polygon regions. */
  readonly polygon?: readonly (readonly [number, number])[];
}
