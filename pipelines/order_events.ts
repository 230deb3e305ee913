import type { Hono } from "hono";
import type { LiveRouterMessage } from "../actors/live_router.ts";
import { NOTIFIER, notifierActorKind } from "../actors/notifier_actor.ts";
import { ORDER, orderActorKind } from "../actors/order_actor.ts";
import { VIEWER } from "../actors/viewer_actor.ts";
import { OrderlessDrivers } from "../actors/orderless_drivers.ts";
import { dispatchOrderEvent } from "../actors/order_event_dispatch.ts";
import type { Order } from "../domain/order.ts";
import { RESTAURANT, restaurantActorKind } from "../actors/restaurant_actor.ts";
import type { ActorRef } from "../actors/runtime/mod.ts";
import type { Config } from "../infra/config.ts";
import type { LocationRecord } from "../domain/location_record.ts";
import { decodeOrderEvent } from "../domain/order_event.ts";
import { KafkaOrderEventPublisher } from "../infra/kafka/order_event_publisher.ts";
import type { OrderEventPublisher } from "../domain/order_event_publisher.ts";
import { TailerSlot } from "../infra/kafka/tailer_slot.ts";
import type { AuthEnv } from "../routes/auth.ts";
import { ordersHttpRoute } from "../routes/orders_http.ts";
import { logger } from "../lib/log.ts";
import type { Core } from "./core.ts";
import { decodeAll } from "./decode_all.ts";
import { tailerVersion } from "./tailer_version.ts";
import { ORDER_EVENT_VERSION } from "../infra/kafka/record_version.ts";
import type { Infrastructure } from "./infrastructure.ts";

/** What the order events need from the pipelines started before them. */
export interface OrderEventsDeps {
  /** The live router, which order actors tell what their viewers watch. */
  readonly router: ActorRef<LiveRouterMessage>;
  /** The newest position known for a driver: live on this instance, else stored. */
  readonly latestPosition: (driverId: string) => Promise<LocationRecord | undefined>;
  /** Told of every order change read from order-events (the fleet map's driver states). */
  readonly onOrder?: (order: Order) => void;
}

/** The order events, started. */
export interface OrderEvents {
  /** `POST /orders` and the order commands and reads. */
  readonly routes: Hono<AuthEnv>;
  /** The order-events producer (zone arrivals publish their notifications with it). */
  readonly events: OrderEventPublisher;
  /** Stops the order-events tailer, then closes the producer. */
  close(): Promise<void>;
}

/**
 * Orders and what happens to them, on top of the location pipeline:
 * - commands → OrderActor → conditional UPDATE in PostgreSQL → order-events;
 * - an order-events tailer (every partition) keeps this instance's order and restaurant actors
 *   in step with changes made on any instance;
 * - the notifier judges each fix once (the location judges' consumer group, shared by all
 *   instances), and each notification is stored and published once (to order-events); the
 *   drivers it found without an active order are not asked about again until the tailer reads
 *   a change of one of their orders ({@linkcode OrderlessDrivers}).
 */
export function startOrderEvents(
  config: Config,
  core: Core,
  infra: Infrastructure,
  deps: OrderEventsDeps,
): OrderEvents {
  const { system, metrics } = core;
  const orders = infra.orders;
  const events = new KafkaOrderEventPublisher({
    kafka: infra.kafka,
    topic: config.ORDER_EVENTS_TOPIC,
    graceMs: config.KAFKA_OUTAGE_GRACE_MS,
    health: core.health,
  });
  system.register(
    ORDER,
    orderActorKind({
      store: orders,
      events,
      router: deps.router,
      viewers: system.refs(VIEWER),
      regions: infra.regions,
      latestPosition: deps.latestPosition,
      staleAfterMs: config.STALE_AFTER_MS,
    }),
  );
  system.register(RESTAURANT, restaurantActorKind({ store: orders, orders: system.refs(ORDER) }));
  // Kept by this tailer, read by the notifiers: a driver whose order changes is asked about again.
  const orderless = new OrderlessDrivers({ reading: () => slot.positioned });
  metrics.onScrape(() => metrics.orderlessDrivers.set(orderless.size));
  const slot = new TailerSlot({
    kafka: infra.kafka,
    topic: config.ORDER_EVENTS_TOPIC,
    clientId: `orders-${config.INSTANCE_ID}`,
    ...tailerVersion(ORDER_EVENT_VERSION, metrics, config.ORDER_EVENTS_TOPIC),
    onRecords: (_partition, values) => {
      const decoded = decodeAll(values, decodeOrderEvent, metrics, config.ORDER_EVENTS_TOPIC);
      for (const event of decoded) {
        if (event.type === "order" && event.order.driverId) orderless.forget(event.order.driverId);
        dispatchOrderEvent(system, event, deps.onOrder);
      }
    },
  });
  slot.want(Array.from({ length: infra.regions.partitionCount }, (_, p) => p));
  const tailer = core.supervise("order-events-tailer", slot.open);
  _registerNotifier(config, core, infra, events, orderless);
  return {
    events,
    routes: ordersHttpRoute({
      system,
      secret: config.JWT_SECRET,
      store: orders,
      shares: infra.shares,
    }),
    close: async () => {
      await tailer.close();
      await events.close();
    },
  };
}

/**
 * The notifier's actor kind, NotifierActor(partition) → order-events; its records come from the
 * location judges' consumer (`location_judges.ts`).
 */
function _registerNotifier(
  config: Config,
  core: Core,
  infra: Infrastructure,
  events: OrderEventPublisher,
  orderless: OrderlessDrivers,
): void {
  core.system.register(
    NOTIFIER,
    notifierActorKind({
      store: infra.orders,
      events,
      orderless,
      thresholds: {
        nearMeters: config.NEAR_THRESHOLDS_M,
        arrivingMeters: config.ARRIVING_M,
        hysteresisMeters: config.NOTIFY_HYSTERESIS_M,
      },
      onError: (error) => logger("notifier").warn("notifier trouble", { error }),
      health: core.health,
      stopping: core.stopping,
    }),
  );
}
