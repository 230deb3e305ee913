import { Hono } from "hono";
import { DEV_JWT_SECRET } from "../infra/config.ts";
import type { ActorSystem } from "../actors/runtime/mod.ts";
import type { Supervise } from "../actors/stream_actor.ts";
import type { Config } from "../infra/config.ts";
import type { KafkaConnection } from "../infra/kafka/kafka_connection.ts";
import type { Metrics } from "../infra/metrics.ts";
import type { LocationRecord } from "../domain/location_record.ts";
import type { Sql } from "../infra/postgres/connect_postgres.ts";
import { activeDriverOrders, countActiveOrders } from "../infra/postgres/order_counts.ts";
import { PostgresOrderStore } from "../infra/postgres/order_store.ts";
import { RegionOutlines } from "../infra/regions/region_outlines.ts";
import { startFleetFeed } from "./fleet_feed.ts";
import type { FleetFeed } from "../actors/fleet_protocol.ts";
import { fleetWsRoute } from "../routes/fleet_ws.ts";
import { pagesHttpRoute } from "../routes/pages_http.ts";
import type { SocketRegistry } from "../routes/socket_registry.ts";

/** What the pages and the fleet feed need from the service. */
export interface FleetAndPagesDeps {
  readonly config: Config;
  readonly kafka: KafkaConnection;
  /** The actor system the fleet feed actor runs in. */
  readonly system: ActorSystem;
  /** Runs the location tailer (fleet feed and live fan-out) under supervision. */
  readonly supervise: Supervise;
  readonly sql: Sql;
  readonly metrics: Metrics;
  /** Socket limits, shared with the driver and viewer sockets. */
  readonly sockets: SocketRegistry;
  /** The newest fix known for a driver (the service's own lookup). */
  readonly latestPosition: (driverId: string) => Promise<LocationRecord | undefined>;
  /** Every batch the location tailer decodes, also (the live fan-out): see `startFleetFeed`. */
  readonly onFixes: (partition: number, fixes: readonly LocationRecord[]) => void;
}

/** The pages and the fleet feed, started: their routes, and shutdown. */
export interface FleetAndPages {
  readonly routes: Hono;
  /** The drivers near a point, from the fleet feed's index (`GET /drivers/nearby`). */
  readonly nearby: FleetFeed["nearby"];
  /** An order changed: the fleet map colours its driver by the order's status. */
  orderChanged(order: { driverId: string | null; status: string }): void;
  /** A zone event: the fleet maps show it (`zone` frame). */
  zoneEvent: FleetFeed["zoneEvent"];
  /** Stops the fleet feed and closes its sockets with 1001. */
  close(): Promise<void>;
}

/**
 * Wires what people look at: the pages (`/`, `/track/:id`, `/restaurant/:id`, `/replay`, their
 * assets and the dev-only token endpoint) and the ops fleet feed (`GET /ws/fleet`,
 * `GET /fleet/drivers/:id`).
 */
export async function startFleetAndPages(deps: FleetAndPagesDeps): Promise<FleetAndPages> {
  const { config, sql } = deps;
  const outlines = await RegionOutlines.load(config.REGIONS_FILE);
  const orders = new PostgresOrderStore(sql);
  const feed = startFleetFeed({
    config,
    kafka: deps.kafka,
    system: deps.system,
    supervise: deps.supervise,
    outlines,
    metrics: deps.metrics,
    activeOrders: () => countActiveOrders(sql),
    activeDriverOrders: () => activeDriverOrders(sql),
    onFixes: deps.onFixes,
  });
  const routes = new Hono();
  routes.route(
    "/",
    fleetWsRoute({
      secret: config.JWT_SECRET,
      feed,
      allowedOrigins: config.ALLOWED_ORIGINS,
      rate: { perSec: config.SOCKET_RATE_PER_SEC, burst: config.SOCKET_RATE_BURST },
      registry: deps.sockets,
      metrics: deps.metrics,
      latestPosition: deps.latestPosition,
      activeOrders: (driverId) => orders.activeForDrivers([driverId]),
    }),
  );
  routes.route(
    "/",
    pagesHttpRoute({
      secret: config.JWT_SECRET,
      devSecret: DEV_JWT_SECRET,
      tilesUrl: config.MAP_TILES_URL,
      tilesAttribution: config.MAP_TILES_ATTRIBUTION,
      regions: outlines.regions,
      staleAfterMs: config.STALE_AFTER_MS,
    }),
  );
  return {
    routes,
    nearby: (query) => feed.nearby(query),
    orderChanged: (order) => feed.orderChanged(order),
    zoneEvent: (event) => feed.zoneEvent(event),
    close: () => feed.close(),
  };
}
