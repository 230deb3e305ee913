import type { ActorRef } from "./runtime/mod.ts";
import type { Order } from "../domain/order.ts";
import type { RegionMap } from "../domain/region_map.ts";
import type { LiveRouterMessage } from "./live_router.ts";

/**
 * What this instance must read for one order's viewers, as told to the live router: the
 * partitions of the order's pickup, drop-off and driver, and the driver. Part of `OrderViewers`.
 */
export class OrderWatch {
  #orderId: string;
  #router: ActorRef<LiveRouterMessage>;
  #regions: RegionMap;
  /** The partitions the router was told to read for this order; `undefined` while unwatched. */
  #watched: Set<number> | undefined;

  /** The watch of order `orderId`. */
  constructor(orderId: string, deps: { router: ActorRef<LiveRouterMessage>; regions: RegionMap }) {
    this.#orderId = orderId;
    this.#router = deps.router;
    this.#regions = deps.regions;
  }

  /** Registers the regions of the order's stops and of `last`, the driver's last position. */
  index(order: Order, last: { lat: number; lon: number } | undefined): void {
    const regions = this.#regions;
    const partitions = new Set([
      regions.locate(order.pickup.lat, order.pickup.lon).partition,
      regions.locate(order.dropoff.lat, order.dropoff.lon).partition,
    ]);
    if (last) partitions.add(regions.locate(last.lat, last.lon).partition);
    this.#watched = partitions;
    const { id: orderId, driverId } = order;
    this.#router.tell({ type: "watch", orderId, driverId, partitions: [...partitions] });
  }

  /** The driver was seen at `point`: the router is told if its partition is new for the order. */
  saw(point: { lat: number; lon: number }): void {
    const partition = this.#regions.locate(point.lat, point.lon).partition;
    if (!this.#watched || this.#watched.has(partition)) return;
    this.#watched.add(partition);
    this.#router.tell({ type: "watchPartition", orderId: this.#orderId, partition });
  }

  /** Nothing is read for the order any more. */
  unwatch(): void {
    if (!this.#watched) return;
    this.#watched = undefined;
    this.#router.tell({ type: "unwatch", orderId: this.#orderId });
  }
}
