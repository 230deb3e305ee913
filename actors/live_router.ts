import { type Actor, type ActorContext, actorKey, type ActorKind } from "./runtime/mod.ts";
import type { ActorRef } from "./runtime/mod.ts";
import type { OrderMessage } from "./order_actor.ts";
import { WatchIndex } from "./watch_index.ts";
import type { LocationRecord } from "../domain/location_record.ts";

/** The id of an instance's one live router. */
export const LIVE_ROUTER_ID = "live";

/** Messages the LiveRouter accepts. */
export type LiveRouterMessage =
  /** An order's viewers need its driver's fixes and these partitions read (replaces the last). */
  | { type: "watch"; orderId: string; driverId: string | null; partitions: readonly number[] }
  /** The order's driver was seen in another partition: read that one too. */
  | { type: "watchPartition"; orderId: string; partition: number }
  /** Nobody here watches the order any more. */
  | { type: "unwatch"; orderId: string }
  /** A newer fix of a followed driver, from a region actor. */
  | { type: "fix"; record: LocationRecord };

/** The key of the live router kind (one actor, {@linkcode LIVE_ROUTER_ID}, per instance). */
export const LIVE_ROUTER = actorKey<LiveRouterMessage>("live-router");

/** Where the LiveRouter passes on what its watch messages change. */
export interface LiveRouterDeps {
  /** Told the partitions of driver-locations to read, whenever they change. */
  readonly read: (partitions: ReadonlySet<number>) => void;
  /** Told when a driver is first followed (`true`) and when no order follows it any more. */
  readonly follow: (driverId: string, followed: boolean) => void;
  /** The order actors it hands fixes to, by order id. */
  readonly orders: (orderId: string) => ActorRef<OrderMessage>;
}

/**
 * One per instance: routes each live fix to the orders whose viewers follow its driver (one look-up
 * per fix). Order actors tell it what they watch; its index is its own, and it tells the live
 * tailer which partitions to read and which drivers' fixes to decode.
 */
export class LiveRouter implements Actor<LiveRouterMessage> {
  #index: WatchIndex;
  #orders: LiveRouterDeps["orders"];

  /** The router of an instance; its context is not needed. */
  constructor(_ctx: ActorContext<LiveRouterMessage>, deps: LiveRouterDeps) {
    this.#orders = deps.orders;
    this.#index = new WatchIndex(deps.read, deps.follow);
  }

  /** Applies a watch change, or hands a fix on. */
  receive(message: LiveRouterMessage): void {
    switch (message.type) {
      case "watch":
        return this.#index.set(message.orderId, message.driverId, message.partitions);
      case "watchPartition":
        return this.#index.addPartition(message.orderId, message.partition);
      case "unwatch":
        return this.#index.remove(message.orderId);
      case "fix":
        for (const orderId of this.#index.ordersOf(message.record.driverId) ?? []) {
          this.#orders(orderId).tell({ type: "location", record: message.record });
        }
        return;
    }
  }
}

/**
 * Registers LiveRouter (the one id {@linkcode LIVE_ROUTER_ID}). Each fix has a key of its own, so
 * none replaces another (the order actors conflate them) and only fixes may be dropped, oldest
 * first, when 1,000 are queued; watch messages have no key and are never dropped.
 */
export function liveRouterKind(deps: LiveRouterDeps): ActorKind<LiveRouterMessage> {
  return {
    create: (_id, ctx) => new LiveRouter(ctx, deps),
    mailbox: {
      capacity: 1000,
      overflow: "conflate",
      conflateKey: (m) => m.type === "fix" ? `fix:${m.record.driverId}:${m.record.seq}` : undefined,
    },
  };
}
