import Supercluster from "supercluster";
import { z } from "zod";
import { type FleetBbox, fleetDriverSchema, type FleetIndex } from "./fleet_index.ts";
import { zoneEventSchema } from "../domain/zone_event.ts";

/** One cell of drivers when a viewport holds too many to draw one by one. */
export const fleetClusterSchema = z.object({
  lat: z.number(),
  lon: z.number(),
  count: z.number().int(),
  driverId: z.string().optional().meta({ description: "Set when the cell holds one driver." }),
});

/** One cell of drivers when a viewport holds too many to draw one by one. */
export type FleetCluster = Readonly<z.infer<typeof fleetClusterSchema>>;

/** Error codes of `{"type":"error"}` frames on the fleet socket. */
export const FLEET_ERROR_CODES = [
  "invalid_json",
  "invalid_frame",
  "rate_limited",
  "frame_too_large",
] as const;

/** One of {@linkcode FLEET_ERROR_CODES}. */
export type FleetErrorCode = typeof FLEET_ERROR_CODES[number];

/** Frames the server sends on `GET /ws/fleet`. */
export const fleetFrameSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("positions"), drivers: z.array(fleetDriverSchema) }),
  z.object({ type: z.literal("gone"), driverIds: z.array(z.string()) }),
  z.object({
    type: z.literal("clusters"),
    zoom: z.number(),
    clusters: z.array(fleetClusterSchema),
  }),
  z.object({
    type: z.literal("stats"),
    driversOnline: z.number().int(),
    activeOrders: z.number().int(),
    partitions: z.array(z.number().int()),
  }),
  zoneEventSchema.extend({ type: z.literal("zone") }),
  z.object({ type: z.literal("error"), code: z.enum(FLEET_ERROR_CODES), message: z.string() }),
]);

/** A frame the server sends on `GET /ws/fleet`. */
export type FleetFrame = z.infer<typeof fleetFrameSchema>;

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
  /** Driver id → fix time and state last sent. */
  #sent = new Map<string, string>();
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
    const changed = inside.filter((d) => this.#sent.get(d.driverId) !== `${d.ts}/${d.state}`);
    for (const d of changed) this.#sent.set(d.driverId, `${d.ts}/${d.state}`);
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
