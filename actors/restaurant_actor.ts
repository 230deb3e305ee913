import { type Actor, type ActorContext, actorKey, type ActorKind } from "./runtime/mod.ts";
import type { ActorRef } from "./runtime/mod.ts";
import type { Order } from "../domain/order.ts";
import { isFinished } from "../domain/order_lifecycle.ts";
import type { OrderMessage } from "./order_actor.ts";
import type { OrderStore } from "../domain/order_store.ts";

/** Messages a RestaurantActor accepts. */
export type RestaurantMessage =
  /** A dashboard connected: it watches every active order of the restaurant. */
  | { type: "watch"; viewerId: string }
  | { type: "unwatch"; viewerId: string }
  /** An order of this restaurant changed (from order-events). */
  | { type: "order"; order: Order };

/** The key of the restaurant kind: one actor per restaurant id with dashboards here. */
export const RESTAURANT = actorKey<RestaurantMessage>("restaurant");

/** What a RestaurantActor needs from outside. */
export interface RestaurantActorDeps {
  readonly store: Pick<OrderStore, "activeForRestaurant">;
  /** The order actors it subscribes dashboards to, by order id. */
  readonly orders: (orderId: string) => ActorRef<OrderMessage>;
}

/**
 * One actor per restaurant with dashboards connected to this instance: it subscribes each
 * dashboard to every active order of the restaurant, and to new orders as they are created.
 * The order actors then send the dashboards the same frames customers get, "arriving" included.
 */
export class RestaurantActor implements Actor<RestaurantMessage> {
  #ctx: ActorContext<RestaurantMessage>;
  #deps: RestaurantActorDeps;
  #viewers = new Set<string>();
  #orders = new Set<string>();
  #loaded = false;

  constructor(ctx: ActorContext<RestaurantMessage>, deps: RestaurantActorDeps) {
    this.#ctx = ctx;
    this.#deps = deps;
  }

  async receive(message: RestaurantMessage): Promise<void> {
    switch (message.type) {
      case "watch":
        if (!this.#loaded) await this.#load();
        this.#viewers.add(message.viewerId);
        for (const orderId of this.#orders) this.#tell(orderId, message.viewerId, "watch");
        return;
      case "unwatch":
        this.#viewers.delete(message.viewerId);
        for (const orderId of this.#orders) this.#tell(orderId, message.viewerId, "unwatch");
        if (this.#viewers.size === 0) this.#ctx.stop();
        return;
      case "order":
        return this.#onOrder(message.order);
    }
  }

  async #load(): Promise<void> {
    for (const order of await this.#deps.store.activeForRestaurant(this.#ctx.id)) {
      this.#orders.add(order.id);
    }
    this.#loaded = true;
  }

  #onOrder(order: Order): void {
    if (order.restaurantId !== this.#ctx.id) return;
    if (isFinished(order.status)) {
      this.#orders.delete(order.id);
      return;
    }
    if (this.#orders.has(order.id)) return;
    this.#orders.add(order.id);
    for (const viewerId of this.#viewers) this.#tell(order.id, viewerId, "watch");
  }

  #tell(orderId: string, viewerId: string, type: "watch" | "unwatch"): void {
    const order = this.#deps.orders(orderId);
    order.tell(type === "watch" ? { type, viewerId, closeOnFinish: false } : { type, viewerId });
  }
}

/** Registers RestaurantActor: it lives while dashboards are connected and stops after the last. */
export function restaurantActorKind(deps: RestaurantActorDeps): ActorKind<RestaurantMessage> {
  return { create: (_id, ctx) => new RestaurantActor(ctx, deps) };
}
