import type { RegionOutline } from "../../domain/region_outline.ts";

/** A viewport `[west, south, east, north]` in degrees. */
export type Bbox = readonly [number, number, number, number];

/**
 * The regions of a regions file as outlines, and which driver-locations partitions a viewport
 * needs. Reads the same file as `RegionMap` (which validates it at start-up) without changing it.
 */
export class RegionOutlines {
  /** Every region, in file order. */
  readonly regions: readonly RegionOutline[];
  /** The catch-all region's partition: points outside every region. */
  readonly catchAllPartition: number;

  /** Builds from a parsed regions file (already validated by `RegionMap`). */
  constructor(file: { catchAll: { partition: number }; regions: RegionOutline[] }) {
    this.regions = file.regions.map((r) => ({ ...r }));
    this.catchAllPartition = file.catchAll.partition;
  }

  /** Reads a regions JSON file. */
  static async load(path: string): Promise<RegionOutlines> {
    return new RegionOutlines(JSON.parse(await Deno.readTextFile(path)));
  }

  /**
   * The partitions whose fixes may lie inside `box`: every region whose extent meets it, and the
   * catch-all unless one region's box covers the whole viewport.
   */
  partitionsFor(box: Bbox): number[] {
    const out = new Set<number>();
    let covered = false;
    for (const region of this.regions) {
      const extent = _extent(region);
      if (_meets(extent, box)) out.add(region.partition);
      if (region.bbox && _contains(region.bbox, box)) covered = true;
    }
    if (!covered) out.add(this.catchAllPartition);
    return [...out].sort((a, b) => a - b);
  }
}

function _extent(region: RegionOutline): Bbox {
  if (region.bbox) return region.bbox;
  const lons = region.polygon!.map((p) => p[0]);
  const lats = region.polygon!.map((p) => p[1]);
  return [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)];
}

function _meets(a: Bbox, b: Bbox): boolean {
  return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}

function _contains(outer: Bbox, inner: Bbox): boolean {
  return outer[0] <= inner[0] && outer[1] <= inner[1] && outer[2] >= inner[2] &&
    outer[3] >= inner[3];
}
