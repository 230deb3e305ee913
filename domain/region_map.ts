import { z } from "zod";

const point = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)]);
const partition = z.number().int().min(0).max(999);
const regionSchema = z.object({
  name: z.string().regex(/^[\w-]+$/),
  partition,
  bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]).optional(),
  polygon: z.array(point).min(3).optional(),
}).refine((r) => (r.bbox === undefined) !== (r.polygon === undefined), {
  message: "each region needs exactly one of bbox or polygon",
});
const fileSchema = z.object({
  catchAll: z.object({ name: z.string().regex(/^[\w-]+$/), partition }),
  regions: z.array(regionSchema).min(1),
});

/** The contents of a regions file. */
export type RegionsFile = z.infer<typeof fileSchema>;

/** Where a fix belongs: the region's name and the Kafka partition that carries it. */
export interface RegionPlacement {
  /** Region name, e.g. "north". */
  readonly name: string;
  /** Partition of the driver-locations topic. */
  readonly partition: number;
}

/**
 * Maps coordinates to regions, and regions to partitions (a pure rule; `loadRegionMap` in
 * `infra/regions/` reads the file). The first region that contains the
 * point wins; a point outside every region belongs to the catch-all region.
 */
export class RegionMap {
  #file: RegionsFile;
  /** Each region's placement, made once (`locate` runs on every fix). */
  #placements: RegionPlacement[];

  /** Validates a parsed regions file; throws `TypeError` naming the problem. */
  constructor(file: unknown) {
    const parsed = fileSchema.safeParse(file);
    if (!parsed.success) {
      throw new TypeError(`invalid regions file: ${z.prettifyError(parsed.error)}`);
    }
    this.#file = parsed.data;
    this.#placements = parsed.data.regions.map(({ name, partition }) => ({ name, partition }));
  }

  /** How many partitions the topic needs so that every region has its own. */
  get partitionCount(): number {
    const all = [this.#file.catchAll.partition, ...this.#file.regions.map((r) => r.partition)];
    return Math.max(...all) + 1;
  }

  /** The region (and partition) that contains the point. */
  locate(lat: number, lon: number): RegionPlacement {
    const { regions } = this.#file;
    for (let i = 0; i < regions.length; i++) {
      const region = regions[i]!;
      const inside = region.bbox
        ? _inBox(region.bbox, lat, lon)
        : _inPolygon(region.polygon!, lat, lon);
      if (inside) return this.#placements[i]!;
    }
    return this.#file.catchAll;
  }
}

function _inBox(box: readonly [number, number, number, number], lat: number, lon: number): boolean {
  const [minLon, minLat, maxLon, maxLat] = box;
  return lon >= minLon && lon <= maxLon && lat >= minLat && lat < maxLat;
}

/** Ray casting over [lon, lat] vertices. */
function _inPolygon(polygon: readonly (readonly [number, number])[], lat: number, lon: number) {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, yi] = polygon[i]!;
    const [xj, yj] = polygon[j]!;
    if ((yi > lat) !== (yj > lat) && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) {
      inside = !inside;
    }
  }
  return inside;
}
