import {
  type Actor,
  type ActorContext,
  actorKey,
  type ActorKind,
  type ActorRef,
  type ActorSystem,
} from "./runtime/mod.ts";
import type { ErrorCode } from "../domain/error_codes.ts";
import type { OrderEventOutcome } from "./driver_actor.ts";
import type { NewOrder, Order } from "../domain/order.ts";
import { type OrderCommand, planTransition } from "../domain/order_lifecycle.ts";
import { type EtaEstimator, StraightLineEta } from "./eta_estimator.ts";
import { OrderViewers } from "./order_viewers.ts";
import type { LiveRouterMessage } from "./live_router.ts";
import type { ViewerMessage } from "./viewer_actor.ts";
import type { LocationRecord } from "../domain/location_record.ts";
import type { OrderEvent } from "../domain/order_event.ts";
import type { OrderEventPublisher } from "../domain/order_event_publisher.ts";
import type { OrderStore } from "../domain/order_store.ts";
import type { RegionMap } from "../domain/region_map.ts";
import { SHARED_DEFAULTS } from "../domain/shared_defaults.ts";

/** The outcome of a command or a creation. */
export type OrderOutcome =
  | { ok: true; order: Order }
  | { ok: false; code: ErrorCode; message: string };

/** Messages an OrderActor accepts. */
export type OrderMessage =
  | { type: "create"; input: NewOrder; replyTo: (outcome: OrderOutcome) => void }
  | { type: "command"; command: OrderCommand; replyTo: (outcome: OrderOutcome) => void }
  /** An order-events record about this order, from any instance (this one's included). */
  | { type: "event"; event: OrderEvent }
  /** A live fix of a driver this order's viewers watch. */
  | { type: "location"; record: LocationRecord }
  | { type: "watch"; viewerId: string; closeOnFinish: boolean }
  | { type: "unwatch"; viewerId: string }
  | { type: "refresh" }
  /** The stale timer: no newer fix of the driver for `staleAfterMs`. */
  | { type: "stale" };

/** The key of the order kind: one actor per order id on each instance that deals with it. */
export const ORDER = actorKey<OrderMessage>("order");

/** What an OrderActor needs from outside. */
export interface OrderActorDeps {
  readonly store: Pick<OrderStore, "create" | "get" | "transition" | "notifications">;
  readonly events: OrderEventPublisher;
  /** The live router: told what this instance must read for the order's viewers. */
  readonly router: ActorRef<LiveRouterMessage>;
  /** The viewer actors it sends frames to, by viewer (connection) id. */
  readonly viewers: (viewerId: string) => ActorRef<ViewerMessage>;
  readonly regions: RegionMap;
  /** The newest position known for a driver (live on this instance, else stored). */
  readonly latestPosition: (driverId: string) => Promise<LocationRecord | undefined>;
  readonly eta?: EtaEstimator;
  /** With viewers and no fix for this long, look the driver up again. */
  readonly refreshMs?: number;
  /** With viewers and no newer fix for this long (server receive time), the position is stale. */
  readonly staleAfterMs?: number;
  /**
   * Passivate after this long without a message while no viewer is connected (the kind's
   * `idleMs`; a viewer keeps the actor through `canPassivate`).
   */
  readonly lingerMs?: number;
}

/** The defaults: look a quiet driver up again after 5 s, stop 10 min after the last viewer. */
export const ORDER_ACTOR_DEFAULTS = {
  refreshMs: 5_000,
  lingerMs: 600_000,
  staleAfterMs: SHARED_DEFAULTS.staleAfterMs,
} as const;

/**
 * One actor per order on each instance that deals with it: it applies commands (the lifecycle
 * rules, then a conditional UPDATE in PostgreSQL, then an order event), follows the order's events
 * from other instances, and keeps this instance's viewers of the order up to date through its
 * {@linkcode OrderViewers}.
 */
export class OrderActor implements Actor<OrderMessage> {
  #ctx: ActorContext<OrderMessage>;
  #deps: OrderActorDeps;
  #order: Order | undefined;
  #viewers: OrderViewers;
  /** `#order` was read at the start and no message has been handled since. */
  #justRead = false;
  /** A viewer has subscribed: from then on the actor lingers (`lingerMs`) instead of stopping. */
  #watched = false;

  constructor(ctx: ActorContext<OrderMessage>, deps: OrderActorDeps) {
    this.#ctx = ctx;
    this.#deps = deps;
    this.#viewers = new OrderViewers(ctx, {
      store: deps.store,
      router: deps.router,
      regions: deps.regions,
      latestPosition: deps.latestPosition,
      eta: deps.eta ?? new StraightLineEta(),
      refreshMs: deps.refreshMs ?? ORDER_ACTOR_DEFAULTS.refreshMs,
      staleAfterMs: deps.staleAfterMs ?? ORDER_ACTOR_DEFAULTS.staleAfterMs,
      viewers: deps.viewers,
    }, { order: () => this.#order });
  }

  async onStart(): Promise<void> {
    this.#order = await this.#deps.store.get(this.#ctx.id);
    this.#justRead = true;
  }

  /**
   * Handles one message. An actor whose order does not exist (an unknown id in a command or a
   * subscription) answers what is queued (`order_not_found`, a 4004 close) and stops at once:
   * an unknown id costs one read and no lingering actor. So does an actor that never had a
   * viewer (a creation, a command, its own order event): the order is in PostgreSQL, the next
   * message reads it again, and a flood of creations leaves no live actors behind. Only a
   * viewer, and `lingerMs` after the last one left, keeps an actor.
   */
  async receive(message: OrderMessage): Promise<void> {
    try {
      await this.#handle(message);
    } finally {
      this.#justRead = false;
    }
    if (message.type === "watch") this.#watched = true;
    this.#ctx.stopWhenIdle(this.#order === undefined || !this.#watched);
  }

  async #handle(message: OrderMessage): Promise<void> {
    switch (message.type) {
      case "create":
        return message.replyTo(await this.#create(message.input));
      case "command":
        return message.replyTo(await this.#command(message.command));
      case "event":
        return message.event.type === "order"
          ? this.#apply(message.event.order)
          : this.#viewers.notify(message.event.notification);
      case "location":
        return this.#viewers.location(message.record);
      case "watch":
        return await this.#viewers.add(message.viewerId, message.closeOnFinish);
      case "unwatch":
        return this.#viewers.remove(message.viewerId);
      case "refresh":
        return await this.#viewers.refresh();
      case "stale":
        return this.#viewers.lapsed();
    }
  }

  /** Viewers keep the actor: it must not passivate under them. */
  canPassivate(): boolean {
    return this.#viewers.count === 0;
  }

  onStop(): void {
    this.#viewers.stop();
  }

  async #create(input: NewOrder): Promise<OrderOutcome> {
    if (this.#order) return { ok: true, order: this.#order };
    const order = await this.#deps.store.create(input, this.#ctx.clock.now(), this.#ctx.id);
    await this.#deps.events.publish({ type: "order", order });
    this.#apply(order);
    return { ok: true, order };
  }

  async #command(command: OrderCommand): Promise<OrderOutcome> {
    const { store, events } = this.#deps;
    // An order missing from the read made at the start is not read again for the first message.
    for (let reread = !this.#order && this.#justRead;; reread = true) {
      const plan = this.#order && planTransition(this.#order, command);
      if (plan?.ok) {
        const updated = await store.transition(this.#ctx.id, plan, this.#ctx.clock.now());
        if (updated) {
          await events.publish({ type: "order", order: updated });
          this.#apply(updated);
          return { ok: true, order: updated };
        }
      }
      if (reread) {
        if (!this.#order) {
          return { ok: false, code: "order_not_found", message: `no order ${this.#ctx.id}` };
        }
        return plan && !plan.ok
          ? plan
          : { ok: false, code: "invalid_transition", message: "the order changed; try again" };
      }
      // What this instance knows may be behind a change made on another one (its order event not
      // here yet, or a lost race for the UPDATE): judge again against what is stored.
      const stored = await store.get(this.#ctx.id);
      if (stored) this.#apply(stored);
    }
  }

  /** Adopts a newer state of the order and tells the viewers what changed. */
  #apply(order: Order): void {
    const known = this.#order;
    if (known && !_newer(order, known)) return;
    this.#order = order;
    this.#viewers.changed(known, order);
  }
}

const _RANK = { created: 0, assigned: 1, picked_up: 2, delivered: 3, cancelled: 3 } as const;

/** Whether `order` is a later state than `known` (statuses only move forward). */
function _newer(order: Order, known: Order): boolean {
  const a = _RANK[order.status];
  const b = _RANK[known.status];
  return a > b || (a === b && order.updatedAt > known.updatedAt);
}

/**
 * Registers OrderActor. Only positions conflate (the newest per driver is all that matters) and
 * only they may be dropped when 1,000 messages are queued; commands, creations, events and
 * (un)subscriptions have no key, so the runtime never drops them. Those are bounded by their
 * senders: a command or creation waits for its reply (`ask`), a subscription is one per open
 * viewer socket, events come one per change of this order. The actor passivates `lingerMs` after
 * its last message while no viewer is connected; one that never had a viewer stops as soon as
 * its queue is empty.
 */
export function orderActorKind(deps: OrderActorDeps): ActorKind<OrderMessage> {
  return {
    create: (_id, ctx) => new OrderActor(ctx, deps),
    idleMs: deps.lingerMs ?? ORDER_ACTOR_DEFAULTS.lingerMs,
    mailbox: {
      capacity: 1000,
      overflow: "conflate",
      conflateKey: (m) => m.type === "location" ? `location:${m.record.driverId}` : undefined,
    },
  };
}

/**
 * Hands a driver's `picked_up` or `delivered` (a frame on its socket) to the order's actor and
 * answers what the driver is told.
 */
export async function orderEventOfDriver(
  system: ActorSystem,
  orderId: string,
  command: { type: "picked_up" | "delivered"; driverId: string },
): Promise<OrderEventOutcome> {
  const outcome = await system.ref(ORDER, orderId)
    .ask<OrderOutcome>((replyTo) => ({ type: "command", command, replyTo }));
  return outcome.ok ? { ok: true, status: outcome.order.status } : outcome;
}
