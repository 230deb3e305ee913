import { Hono } from "hono";
import { type Config, DEV_JWT_SECRET } from "../infra/config.ts";
import type { LocationRecord } from "../domain/location_record.ts";
import { portStartupError } from "../infra/startup_error.ts";
import { type NodeHttpServer, serveNodeHttp } from "../infra/http/node_http_server.ts";
import { MAX_FRAME_CHARS } from "../actors/driver_protocol.ts";
import { accessLog } from "../routes/access_log.ts";
import { type AuthEnv, tokenRules } from "../routes/auth.ts";
import { apiDocsHttpRoute } from "../routes/api_docs_http.ts";
import { errorResponse } from "../routes/api_error.ts";
import { bodyLimit } from "../routes/body_limit.ts";
import { driversHttpRoute } from "../routes/drivers_http.ts";
import { orderTrackHttpRoute } from "../routes/order_track_http.ts";
import { type NearbyHttpDeps, nearbyHttpRoute } from "../routes/nearby_http.ts";
import { orderShareHttpRoute } from "../routes/order_share_http.ts";
import { historyCursor } from "../infra/postgres/history_cursor.ts";
import { readOrderTimes } from "../infra/postgres/order_times.ts";
import { handleApiErrors } from "../routes/error_handling.ts";
import { healthHttpRoute } from "../routes/health_http.ts";
import { pathIds } from "../routes/path_ids.ts";
import { restCors } from "../routes/rest_cors.ts";
import { StreamBudget } from "../routes/stream_budget.ts";
import { restRateLimit, type RestRateLimitOptions } from "../routes/rest_rate_limit.ts";
import type { SocketEnv } from "../routes/socket_admission.ts";
import type { Core } from "./core.ts";
import type { Infrastructure } from "./infrastructure.ts";

/** What the HTTP app is made of: the pipelines' routes, mounted in this order. */
export interface HttpAppDeps {
  /** `GET /ws/driver` (the driver ingest). */
  readonly driverRoutes: Hono<SocketEnv>;
  /** Orders: creation, commands, reads (the order events). */
  readonly orderRoutes: Hono<AuthEnv>;
  /** `/zones` (the zones). */
  readonly zoneRoutes: Hono<AuthEnv>;
  /** The viewer sockets (the live fan-out). */
  readonly viewerRoutes: Hono<SocketEnv>;
  /** The pages and the fleet feed. */
  readonly viewRoutes: Hono;
  /** Phones as drivers: `/osmand` and the device keys (`/drivers/:id/devices`). */
  readonly phoneRoutes: Hono;
  /** The drivers near a point (`GET /drivers/nearby`, the fleet feed's index). */
  readonly nearby: NearbyHttpDeps["nearby"];
  /** The newest position known for a driver (`GET /drivers/:id/latest`). */
  readonly latestPosition: (driverId: string) => Promise<LocationRecord | undefined>;
}

/**
 * The app: access log, CORS, path ids, token rules, 503 for new sockets while draining, body
 * limit, REST rate limits per principal; then the driver socket, the driver history, the
 * pipelines' routes, health and metrics, the API documents, and one error shape for everything.
 */
export function composeHttpApp(
  config: Config,
  core: Core,
  infra: Infrastructure,
  deps: HttpAppDeps,
): Hono {
  const draining = () => core.stopping.aborted;
  const app = new Hono();
  app.use("*", accessLog(), restCors(config.ALLOWED_ORIGINS), pathIds());
  app.use("*", tokenRules({ maxTtlS: config.JWT_MAX_TTL_S }));
  app.use("/ws/*", async (_c, next) => {
    if (draining()) return errorResponse(503, "shutting_down", "the server is shutting down");
    await next();
  });
  app.use("*", bodyLimit(config.MAX_BODY_BYTES, { metrics: core.metrics }));
  app.use("*", restRateLimit(_restRates(config, core)));
  app.route("/", deps.driverRoutes);
  app.route("/", _dispatchRoutes(config, infra, deps)); // before `/drivers/:id/...`
  app.route("/", deps.phoneRoutes);
  app.route(
    "/",
    driversHttpRoute({
      secret: config.JWT_SECRET,
      store: infra.store,
      cursor: (id, range) => historyCursor(infra.streamSql, id, range),
      streams: _streamBudget(config, core),
      latestPosition: deps.latestPosition,
      retentionDays: config.HISTORY_RETENTION_DAYS,
    }),
  );
  app.route(
    "/",
    orderTrackHttpRoute({
      secret: config.JWT_SECRET,
      order: (id) => infra.orders.get(id),
      orderTimes: (id) => readOrderTimes(infra.sql, id),
      shares: infra.shares,
      store: infra.store,
      retentionDays: config.HISTORY_RETENTION_DAYS,
    }),
  );
  app.route("/", deps.orderRoutes);
  app.route("/", deps.zoneRoutes);
  app.route("/", deps.viewerRoutes);
  app.route("/", deps.viewRoutes);
  app.route(
    "/",
    healthHttpRoute({
      checks: { kafka: () => infra.probe.ping(), postgres: () => infra.store.ping() },
      components: () => core.health.snapshot(),
      metrics: () => core.metrics.render(),
      draining,
      metricsToken: config.METRICS_TOKEN,
    }),
  );
  app.route("/", _apiDocs(config));
  handleApiErrors(app);
  return app;
}

/** The API documents: the dev token route only with the dev secret; the topics as configured. */
function _apiDocs(config: Config): Hono {
  return apiDocsHttpRoute({
    dev: config.JWT_SECRET === DEV_JWT_SECRET,
    topics: {
      locations: config.LOCATIONS_TOPIC,
      orderEvents: config.ORDER_EVENTS_TOPIC,
      zoneEvents: config.ZONE_EVENTS_TOPIC,
    },
  });
}

/** `GET /drivers/nearby`, and the share links of orders (`/orders/:id/share`). */
function _dispatchRoutes(config: Config, infra: Infrastructure, deps: HttpAppDeps): Hono {
  const app = new Hono();
  app.route(
    "/",
    nearbyHttpRoute({
      secret: config.JWT_SECRET,
      nearby: deps.nearby,
      maxAgeMs: config.NEARBY_MAX_AGE_MS,
    }),
  );
  app.route(
    "/",
    orderShareHttpRoute({
      secret: config.JWT_SECRET,
      order: (id) => infra.orders.get(id),
      shares: infra.shares,
      ttlS: config.SHARE_TTL_S,
      maxTtlS: config.JWT_MAX_TTL_S,
    }),
  );
  return app;
}

/** The history streams' budget of `config` (docs/limits.md, "History streams"). */
function _streamBudget(config: Config, core: Core): StreamBudget {
  return new StreamBudget({
    max: config.MAX_STREAMS,
    maxPerPrincipal: config.MAX_STREAMS_PER_PRINCIPAL,
    stallMs: config.STREAM_STALL_MS,
    maxMs: config.STREAM_MAX_MS,
    metrics: core.metrics,
  });
}

/** The REST rate limits of `config` (docs/limits.md). */
function _restRates(config: Config, core: Core): RestRateLimitOptions {
  return {
    secret: config.JWT_SECRET,
    writes: { perSec: config.REST_WRITES_PER_SEC, burst: config.REST_WRITES_BURST },
    reads: { perSec: config.REST_READS_PER_SEC, burst: config.REST_READS_BURST },
    opsFactor: config.REST_OPS_RATE_FACTOR,
    metrics: core.metrics,
  };
}

/**
 * Serves `app` on `HOST:PORT` (`node:http` and `ws`: docs/limits.md has why): connections capped
 * below the open-files limit, header, request and keep-alive timeouts, socket messages capped at
 * `MAX_FRAME_CHARS` over their fragments, and a ping round. A port that cannot be bound is a
 * `StartupError`. `options` serve it on another port (`OSMAND_PORT`) with its own cap.
 */
export async function serveHttp(
  config: Config,
  core: Core,
  app: Hono,
  options: { readonly port?: number; readonly maxConnections?: number } = {},
): Promise<NodeHttpServer> {
  const port = options.port ?? config.PORT;
  try {
    return await serveNodeHttp(app.fetch, {
      hostname: config.HOST,
      port,
      reusePort: config.REUSE_PORT,
      maxConnections: options.maxConnections ?? core.caps.maxConnections,
      headersTimeoutMs: config.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: config.HTTP_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: config.HTTP_KEEPALIVE_TIMEOUT_MS,
      maxMessageBytes: MAX_FRAME_CHARS,
      pingIntervalMs: config.WS_PING_INTERVAL_MS,
      onConnectionRefused: () => core.metrics.limitRefusals.inc({ reason: "connections_full" }),
    });
  } catch (error) {
    throw portStartupError(error, config.HOST, port);
  }
}
