import Supercluster from "supercluster";
import type { FleetBbox, FleetDriver, FleetIndex } from "./fleet_index.ts";

/** One cell of drivers when a viewport holds too many to draw one by one. */
export interface FleetCluster {
  readonly lat: number;
  readonly lon: number;
  readonly count: number;
  /** Set when the cell holds a single driver. */
  readonly driverId?: string;
}

/** Frames the server sends on `GET /ws/fleet`. */
export type FleetFrame =
  | { type: "positions"; drivers: FleetDriver[] }
  | { type: "gone"; driverIds: string[] }
  | { type: "clusters"; zoom: number; clusters: FleetCluster[] }
  | { type: "stats"; driversOnline: number; activeOrders: number | null; partitions: number[] }
  | { type: "error"; code: string; message: string };

/** Options of {@linkcode FleetViewer.tick}. */
export interface FleetTickOptions {
  /** Above this many drivers in the viewport, clusters are sent instead. */
  readonly maxPoints: number;
  /** Drivers that left the index since the last tick. */
  readonly expired: readonly string[];
  /** Builds (or reuses, within one tick) the cluster index of every driver. */
  readonly clusterIndex: () => Supercluster;
}

/**
 * What one fleet socket has been shown, and what it is shown next. Called once per update
 * interval, so each driver goes out at most once per interval: its newest fix if it changed, a
 * `gone` when it left the viewport or expired, or clusters when the viewport holds more than
 * `maxPoints` drivers.
 */
export class FleetViewer {
  #bbox: FleetBbox | undefined;
  #zoom: number | undefined;
  /** Driver id → fix time last sent. */
  #sent = new Map<string, number>();
  #clustered = false;

  /** Sets the viewport; `zoom` (map zoom level) is used for clusters, else derived from the box. */
  viewport(bbox: FleetBbox, zoom?: number): void {
    this.#bbox = bbox;
    this.#zoom = zoom;
  }

  /** The viewport, once the client has sent one. */
  get bbox(): FleetBbox | undefined {
    return this.#bbox;
  }

  /** The frames to send now (possibly none). */
  tick(index: FleetIndex, options: FleetTickOptions): FleetFrame[] {
    const box = this.#bbox;
    if (!box) return [];
    const inside = index.inBox(box);
    if (inside.length > options.maxPoints) {
      this.#sent.clear();
      this.#clustered = true;
      const zoom = this.#zoom ?? zoomFor(box);
      const features = options.clusterIndex().getClusters([...box], Math.round(zoom));
      return [{ type: "clusters", zoom, clusters: features.map(_cluster) }];
    }
    const frames: FleetFrame[] = [];
    const here = new Set(inside.map((d) => d.driverId));
    const gone = [...this.#sent.keys()].filter((id) => !here.has(id));
    for (const id of options.expired) if (this.#sent.has(id)) gone.push(id);
    for (const id of gone) this.#sent.delete(id);
    if (gone.length > 0) frames.push({ type: "gone", driverIds: [...new Set(gone)] });
    const changed = inside.filter((d) => this.#sent.get(d.driverId) !== d.ts);
    for (const d of changed) this.#sent.set(d.driverId, d.ts);
    if (changed.length > 0 || this.#clustered) frames.push({ type: "positions", drivers: changed });
    this.#clustered = false;
    return frames;
  }
}

/** Builds the cluster index of every driver in `index`. */
export function clusterIndexOf(index: FleetIndex): Supercluster {
  const points = [...index.all()].map((d) => ({
    type: "Feature" as const,
    properties: { driverId: d.driverId },
    geometry: { type: "Point" as const, coordinates: [d.lon, d.lat] },
  }));
  return new Supercluster({ radius: 60, maxZoom: 17 }).load(points);
}

/** The map zoom at which `box` fills about 1024 px. */
export function zoomFor(box: FleetBbox): number {
  const width = Math.max(box[2] - box[0], 1e-6);
  return Math.max(0, Math.min(20, Math.log2((360 * 4) / width)));
}

// deno-lint-ignore no-explicit-any
function _cluster(feature: any): FleetCluster {
  const [lon, lat] = feature.geometry.coordinates as [number, number];
  const p = feature.properties;
  if (p.cluster) return { lat, lon, count: p.point_count as number };
  return { lat, lon, count: 1, driverId: p.driverId as string };
}
