import type { FleetFrame } from "./fleet_viewer.ts";
import type { FleetBbox } from "./fleet_index.ts";
import type { NearbyDriver, NearbyQuery } from "./nearby_search.ts";
import type { ZoneEvent } from "../domain/zone_event.ts";

/** One connected fleet map. */
export interface FleetConnection {
  /** Sends a frame; returns false when the socket is gone. */
  readonly send: (frame: FleetFrame) => boolean;
  /** Bytes the socket has not sent yet. */
  readonly buffered: () => number;
  /** Closes the socket (shutdown). */
  readonly close: (code: number, reason: string) => void;
}

/** The fleet feed, started (`startFleetFeed` in the wiring): what the fleet socket talks to. */
export interface FleetFeed {
  /** A socket opened. */
  add(id: string, connection: FleetConnection): void;
  /** The socket's client moved its map. */
  viewport(id: string, bbox: FleetBbox, zoom?: number): void;
  /** The socket closed. */
  remove(id: string): void;
  /** The drivers near a point, nearest first (`GET /drivers/nearby`): see `nearbyDrivers`. */
  nearby(query: NearbyQuery): Promise<NearbyDriver[]>;
  /** An order changed (from order-events): its driver's state follows its status. */
  orderChanged(order: { driverId: string | null; status: string }): void;
  /** A zone event (from zone-events): every fleet map gets it at once, as a `zone` frame. */
  zoneEvent(event: ZoneEvent): void;
  /** Stops the tailer and the updates, and closes the sockets with 1001. */
  close(): Promise<void>;
}
