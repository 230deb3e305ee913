// @ts-types="@types/rbush"
import RBush from "rbush";
import type { Zone } from "../domain/zone.ts";
import { expandBbox, type PreparedShape, prepareShape } from "../domain/zone_geometry.ts";

/** A zone with its shape ready for point tests. */
export interface IndexedZone {
  readonly zone: Zone;
  readonly shape: PreparedShape;
}

interface _Item {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  readonly indexed: IndexedZone;
}

/**
 * Every zone in an R-tree (`rbush`) of its bounding box grown by `reachM` (the exit margin): the
 * zones a point may be in, or near enough to matter, are found in O(log n) of the zone count, and
 * only those are tested exactly. Immutable: a change of zones builds a new index (bulk load).
 */
export class ZoneIndex {
  #tree = new RBush<_Item>();
  #byId = new Map<string, IndexedZone>();

  /** Indexes `zones`, each box grown by `reachM` metres. */
  constructor(zones: readonly Zone[], reachM: number) {
    const items: _Item[] = [];
    for (const zone of zones) {
      const indexed = { zone, shape: prepareShape(zone.shape) };
      const [minX, minY, maxX, maxY] = expandBbox(indexed.shape.bbox, reachM);
      items.push({ minX, minY, maxX, maxY, indexed });
      this.#byId.set(zone.id, indexed);
    }
    this.#tree.load(items);
  }

  /** How many zones it holds. */
  get size(): number {
    return this.#byId.size;
  }

  /** The zone with this id. */
  get(id: string): IndexedZone | undefined {
    return this.#byId.get(id);
  }

  /** Zones whose grown box holds the point: a point outside all of them is beyond every reach. */
  candidates(lat: number, lon: number): IndexedZone[] {
    return this.#tree.search({ minX: lon, minY: lat, maxX: lon, maxY: lat })
      .map((item) => item.indexed);
  }

  /** Every zone, in no order. */
  all(): IndexedZone[] {
    return [...this.#byId.values()];
  }
}
