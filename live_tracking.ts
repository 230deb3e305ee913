import { Hono } from "hono";
import type { ActorSystem } from "./actors/runtime/mod.ts";
import type { OrderEventOutcome } from "./actors/driver_actor.ts";
import { orderActorKind, type OrderMessage, type OrderOutcome } from "./actors/order_actor.ts";
import { notifierActorKind, type NotifierMessage } from "./actors/notifier_actor.ts";
import { restaurantActorKind, type RestaurantMessage } from "./actors/restaurant_actor.ts";
import { viewerActorKind, type ViewerMessage } from "./actors/viewer_actor.ts";
import { regionActorKind, type RegionMessage } from "./actors/region_actor.ts";
import { WatchIndex } from "./actors/watch_index.ts";
import type { Order } from "./domain/order.ts";
import { VIEWER_CLOSE_CODES } from "./domain/close_codes.ts";
import type { Supervise } from "./actors/stream_actor.ts";
import type { HealthReporter } from "./domain/health_reporter.ts";
import type { Config } from "./infra/config.ts";
import type { Metrics } from "./infra/metrics.ts";
import type { KafkaConnection } from "./infra/kafka/kafka_connection.ts";
import { LocationConsumer } from "./infra/kafka/location_consumer.ts";
import { decodeLocationRecord, type LocationRecord } from "./domain/location_record.ts";
import { decodeOrderEvent, type OrderEvent, orderEventKey } from "./domain/order_event.ts";
import { KafkaOrderEventPublisher } from "./infra/kafka/order_event_publisher.ts";
import { TailerSlot } from "./infra/kafka/tailer_slot.ts";
import type { OrderStore } from "./domain/order_store.ts";
import type { RegionMap } from "./domain/region_map.ts";
import type { AuthEnv } from "./routes/auth.ts";
import { ordersHttpRoute } from "./routes/orders_http.ts";
import { viewerWsRoute } from "./routes/viewer_ws.ts";
import { ViewerSockets } from "./routes/viewer_sockets.ts";
import type { SocketRegistry } from "./routes/socket_registry.ts";
import { logger } from "./lib/log.ts";

/** What live tracking needs from the service. */
export interface LiveTrackingDeps {
  readonly config: Config;
  readonly kafka: KafkaConnection;
  readonly system: ActorSystem;
  readonly regions: RegionMap;
  readonly orders: OrderStore;
  readonly metrics: Metrics;
  readonly health: HealthReporter;
  /** Aborted as shutdown begins. */
  readonly stopping: AbortSignal;
  /** Runs a long-lived Kafka client under supervision (a `stream` actor named `name`). */
  readonly supervise: Supervise;
  /** Told of every order change read from order-events (the fleet map's driver states). */
  readonly onOrder?: (order: Order) => void;
  /** The newest position known for a driver: live on this instance, else stored. */
  readonly latestPosition: (driverId: string) => Promise<LocationRecord | undefined>;
  /** Socket limits and per-principal rate limiters, shared with the driver route. */
  readonly socketRegistry: SocketRegistry;
}

/** Live tracking, started: its routes, the driver order-event entry point, and shutdown. */
export interface LiveTracking {
  readonly routes: Hono<AuthEnv>;
  /** Hands a driver's picked_up/delivered to the order's actor. */
  orderEvent(
    orderId: string,
    command: { type: "picked_up" | "delivered"; driverId: string },
  ): Promise<OrderEventOutcome>;
  /** Stops notifying and reading, closes viewer sockets with 1001, closes the producer. */
  close(): Promise<void>;
}

/**
 * Orders, viewers and notifications on top of the location pipeline:
 * - a live tailer reads only the driver-locations partitions this instance's viewers need
 *   (assigned directly) into region actors, which hand fixes to watched orders;
 * - an order-events tailer (every partition) keeps this instance's order and restaurant actors
 *   in step with changes made on any instance;
 * - the notifier consumes driver-locations in a group shared by all instances, so each fix is
 *   judged once and each notification is stored and published once.
 */
export function startLiveTracking(deps: LiveTrackingDeps): LiveTracking {
  const { config, kafka, system, regions, orders, metrics, supervise } = deps;
  const events = new KafkaOrderEventPublisher({
    kafka,
    topic: config.ORDER_EVENTS_TOPIC,
    graceMs: config.KAFKA_OUTAGE_GRACE_MS,
    health: deps.health,
  });
  // The live tailer is rebuilt after failures; the partitions it reads outlive each build.
  const liveSlot = new TailerSlot({
    kafka,
    topic: config.LOCATIONS_TOPIC,
    clientId: `live-${config.INSTANCE_ID}`,
    // Only fixes of drivers that a watched order follows are decoded and handed on.
    keep: (driverId) => watch.ordersOf(driverId) !== undefined,
    onRecords: (partition, values) => {
      const records = _decodeAll(values, decodeLocationRecord, metrics, config.LOCATIONS_TOPIC);
      system.ref<RegionMessage>("region", String(partition)).tell({ type: "records", records });
    },
  });
  const watch = new WatchIndex((partitions) => liveSlot.want(partitions));
  const liveTailer = supervise("live-tailer", liveSlot.open);
  const sockets = new ViewerSockets({
    system,
    metrics,
    rate: { perSec: config.SOCKET_RATE_PER_SEC, burst: config.SOCKET_RATE_BURST },
  });
  system.register<RegionMessage>("region", regionActorKind(watch));
  system.register<OrderMessage>(
    "order",
    orderActorKind({ store: orders, events, watch, regions, latestPosition: deps.latestPosition }),
  );
  system.register<RestaurantMessage>("restaurant", restaurantActorKind({ store: orders }));
  system.register<ViewerMessage>(
    "viewer",
    viewerActorKind({
      socketFor: sockets.socketFor,
      maxBufferedBytes: config.VIEWER_BUFFER_BYTES,
      slowMs: config.VIEWER_SLOW_MS,
    }),
  );
  system.register<NotifierMessage>(
    "notifier",
    notifierActorKind({
      store: orders,
      events,
      thresholds: {
        nearMeters: config.NEAR_THRESHOLDS_M,
        arrivingMeters: config.ARRIVING_METERS,
        hysteresisMeters: config.NOTIFY_HYSTERESIS_M,
      },
      onError: (error) => logger("notifier").warn("notifier trouble", { error }),
      health: deps.health,
      stopping: deps.stopping,
    }),
  );

  const orderEventsSlot = new TailerSlot({
    kafka,
    topic: config.ORDER_EVENTS_TOPIC,
    clientId: `orders-${config.INSTANCE_ID}`,
    onRecords: (_partition, values) => {
      const decoded = _decodeAll(values, decodeOrderEvent, metrics, config.ORDER_EVENTS_TOPIC);
      for (const event of decoded) _dispatch(system, event, deps.onOrder);
    },
  });
  orderEventsSlot.want(Array.from({ length: regions.partitionCount }, (_, p) => p));
  const orderEventsTailer = supervise("order-events-tailer", orderEventsSlot.open);
  const notifierConsumer = supervise("notifier-consumer", (failed) =>
    LocationConsumer.start({
      kafka,
      topic: config.LOCATIONS_TOPIC,
      groupId: config.NOTIFIER_GROUP,
      mode: "committed",
      metrics,
      onFailure: failed,
      onRecords: (partition, records) =>
        system.ref<NotifierMessage>("notifier", String(partition))
          .ask<void>((replyTo) => ({ type: "records", records, replyTo }), { timeoutMs: Infinity }),
    }));

  const routes = new Hono<AuthEnv>();
  routes.route("/", ordersHttpRoute({ system, secret: config.JWT_SECRET, store: orders }));
  routes.route(
    "/",
    viewerWsRoute({
      system,
      secret: config.JWT_SECRET,
      store: orders,
      sockets,
      registry: deps.socketRegistry,
      metrics,
      allowedOrigins: config.ALLOWED_ORIGINS,
    }),
  );

  return {
    routes,
    orderEvent: async (orderId, command) => {
      const outcome = await system.ref<OrderMessage>("order", orderId)
        .ask<OrderOutcome>((replyTo) => ({ type: "command", command, replyTo }));
      return outcome.ok ? { ok: true, status: outcome.order.status } : outcome;
    },
    close: async () => {
      await Promise.all([notifierConsumer, liveTailer, orderEventsTailer].map((s) => s.close()));
      sockets.closeAll(VIEWER_CLOSE_CODES.goingAway, "server shutting down");
      await events.close();
    },
  };
}

/** Hands an order event to the actors of this instance that care; nobody else is woken. */
function _dispatch(
  system: ActorSystem,
  event: OrderEvent,
  onOrder: ((order: Order) => void) | undefined,
): void {
  if (event.type === "order") onOrder?.(event.order);
  const orderId = orderEventKey(event);
  if (system.has("order", orderId)) {
    system.ref<OrderMessage>("order", orderId).tell({ type: "event", event });
  }
  if (event.type === "order" && system.has("restaurant", event.order.restaurantId)) {
    system.ref<RestaurantMessage>("restaurant", event.order.restaurantId)
      .tell({ type: "order", order: event.order });
  }
}

function _decodeAll<T>(
  values: string[],
  decode: (text: string) => T,
  metrics: Metrics,
  topic: string,
): T[] {
  const out: T[] = [];
  for (const value of values) {
    try {
      out.push(decode(value));
    } catch {
      metrics.badRecords.inc({ topic });
    }
  }
  return out;
}
