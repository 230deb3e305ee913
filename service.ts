import { Hono } from "hono";
import { ActorSystem } from "./actors/runtime/mod.ts";
import { driverActorKind, type DriverMessage } from "./actors/driver_actor.ts";
import type { RegionMessage } from "./actors/region_actor.ts";
import type { DriverSocket } from "./actors/driver_protocol.ts";
import { CLOSE_CODES } from "./domain/close_codes.ts";
import { DEFAULT_FIX_RULES } from "./domain/fix_filter.ts";
import { type Config, DEV_JWT_SECRET } from "./infra/config.ts";
import { ComponentHealth } from "./infra/component_health.ts";
import { Metrics } from "./infra/metrics.ts";
import { ensureTopics } from "./infra/kafka/ensure_topics.ts";
import { kafkaConnection } from "./infra/kafka/kafka_connection.ts";
import { KafkaLocationPublisher } from "./infra/kafka/location_publisher.ts";
import { KafkaProbe } from "./infra/kafka/kafka_probe.ts";
import type { LocationRecord } from "./domain/location_record.ts";
import { connectPostgres } from "./infra/postgres/connect_postgres.ts";
import { migrate } from "./infra/postgres/migrate.ts";
import { PostgresHistoryStore } from "./infra/postgres/history_store.ts";
import { PostgresOrderStore } from "./infra/postgres/order_store.ts";
import { startEmbeddedPostgres } from "./infra/postgres/embedded_postgres.ts";
import { loadRegionMap } from "./infra/regions/load_region_map.ts";
import { driverWsRoute } from "./routes/driver_ws.ts";
import { driversHttpRoute } from "./routes/drivers_http.ts";
import { healthHttpRoute } from "./routes/health_http.ts";
import { bodyLimit } from "./routes/body_limit.ts";
import { SocketRegistry } from "./routes/socket_registry.ts";
import { errorResponse } from "./routes/api_error.ts";
import { handleApiErrors } from "./routes/error_handling.ts";
import { pathIds } from "./routes/path_ids.ts";
import { restCors } from "./routes/rest_cors.ts";
import { startLiveTracking } from "./live_tracking.ts";
import { startHistoryPipeline } from "./history_pipeline.ts";
import { startStorageRetention } from "./storage_retention.ts";
import { streamSupervisor } from "./stream_supervisor.ts";
import { stepsWithin } from "./lib/deadline_steps.ts";
import { startFleetAndPages } from "./fleet_and_pages.ts";
import { logger } from "./lib/log.ts";
import {
  kafkaStartupError,
  portStartupError,
  postgresStartupError,
  regionsStartupError,
} from "./infra/startup_error.ts";
import { RejectedFramesSummary } from "./infra/rejected_frames_summary.ts";
import { accessLog } from "./routes/access_log.ts";
import { apiDocsHttpRoute } from "./routes/api_docs_http.ts";

const _log = logger("service");

/** A running service instance. */
export interface Service {
  /** The port it listens on (useful with `PORT=0`). */
  readonly port: number;
  /** Every route of the app (middleware too), as hono lists them: the API documents cover these. */
  readonly routes: readonly { readonly method: string; readonly path: string }[];
  /** Drains and stops: see {@linkcode startService}. */
  close(): Promise<void>;
}

/**
 * Wires configuration, infrastructure, actors and routes, and starts serving.
 * `close()` drains: refuse new work, publish what was accepted, ack it, flush and commit the
 * history, close driver sockets with 1001, then stop every client.
 */
export async function startService(config: Config): Promise<Service> {
  // Settings first (the regions file, the port), then dependencies: each failure is a
  // `StartupError` naming its setting (docs/operations.md).
  const regions = await loadRegionMap(config.REGIONS_FILE)
    .catch((error) => Promise.reject(regionsStartupError(error, config.REGIONS_FILE)));
  _checkPort(config.HOST, config.PORT);
  const embedded = config.DATABASE_URL ? undefined : await startEmbeddedPostgres();
  const sql = connectPostgres(config.DATABASE_URL ?? embedded!.url);
  try {
    const applied = await migrate(sql);
    _log.debug("postgres ready", { migrationsApplied: applied });
  } catch (error) {
    await sql.end({ timeout: 1 }).catch(() => {});
    await embedded?.close();
    throw postgresStartupError(error, config.DATABASE_URL ?? embedded!.url);
  }
  const store = new PostgresHistoryStore(sql, {
    retentionDays: config.HISTORY_RETENTION_DAYS,
    // Called only once the history pipeline inserts, after `retention` below is set.
    onPartitionsCreated: (names) => retention.partitionsCreated(names),
  });
  const kafka = kafkaConnection(config);
  try {
    await ensureTopics(kafka, [
      { name: config.LOCATIONS_TOPIC, partitions: regions.partitionCount },
      { name: config.ORDER_EVENTS_TOPIC, partitions: regions.partitionCount },
    ], {
      timeoutMs: config.KAFKA_CONNECT_TIMEOUT_MS,
      ...(config.KAFKA_REPLICATION_FACTOR &&
        { replicationFactor: config.KAFKA_REPLICATION_FACTOR }),
    });
    _log.debug("kafka topics ready", { brokers: config.KAFKA_BROKERS });
  } catch (error) {
    await sql.end({ timeout: 1 }).catch(() => {});
    await embedded?.close();
    throw kafkaStartupError(error, config.KAFKA_BROKERS, config.KAFKA_CONNECT_TIMEOUT_MS);
  }

  const metrics = new Metrics();
  const health = new ComponentHealth({ metrics });
  /** Aborted as shutdown begins: retries give up, and failed streams are not opened again. */
  const stopping = new AbortController();
  const system = new ActorSystem({
    onError: (kind, id, error) => logger("actors").error("actor failed", { kind, id, error }),
  });
  metrics.onScrape(() => _actorGauges(system, metrics));
  const supervise = streamSupervisor(system, { health, stopping: stopping.signal });
  const publisher = new KafkaLocationPublisher({
    kafka,
    topic: config.LOCATIONS_TOPIC,
    metrics,
    health,
    graceMs: config.KAFKA_OUTAGE_GRACE_MS,
    maxQueued: config.KAFKA_OUTAGE_QUEUE,
  });
  system.register<DriverMessage>(
    "driver",
    driverActorKind({
      publisher,
      regions,
      metrics,
      lastStored: (id) => store.latest(id),
      rules: {
        futureMarginMs: config.FUTURE_MARGIN_MS,
        maxSpeedMps: config.MAX_SPEED_MPS,
        speedRejectsBeforeReset: DEFAULT_FIX_RULES.speedRejectsBeforeReset,
      },
      ackIntervalMs: config.ACK_INTERVAL_MS,
      idleMs: config.DRIVER_IDLE_MS,
      // Called only once frames flow, after `tracking` below is set.
      orderEvent: (orderId, command) => tracking.orderEvent(orderId, command),
    }),
  );
  const retention = startStorageRetention({ config, system, sql, metrics });
  const history = startHistoryPipeline({
    config,
    kafka,
    system,
    store,
    metrics,
    health,
    supervise,
  });
  /** The newest fix known: this instance's driver actor, its live views (followed drivers), then stored. */
  const latestPosition = async (driverId: string): Promise<LocationRecord | undefined> => {
    if (system.has("driver", driverId)) {
      const own = await system.ref<DriverMessage>("driver", driverId)
        .ask<LocationRecord | undefined>((replyTo) => ({ type: "latest", replyTo }));
      if (own) return own;
    }
    // Only region actors that exist have seen anything; asking the others would create them.
    const regionIds = Array.from({ length: regions.partitionCount }, (_, p) => String(p))
      .filter((id) => system.has("region", id));
    const seen = await Promise.all(regionIds.map((id) =>
      system.ref<RegionMessage>("region", id)
        .ask<LocationRecord | undefined>((replyTo) => ({ type: "latest", driverId, replyTo }))
    ));
    const live = seen.filter((r) => r !== undefined).sort((a, b) => b.ts - a.ts)[0];
    return live ?? (await store.latest(driverId));
  };
  const socketRegistry = new SocketRegistry({
    maxSockets: config.MAX_SOCKETS,
    maxPerPrincipal: config.MAX_SOCKETS_PER_PRINCIPAL,
    maxPerOps: config.MAX_SOCKETS_PER_OPS,
    rate: { perSec: config.SOCKET_RATE_PER_SEC, burst: config.SOCKET_RATE_BURST },
  });
  const views = await startFleetAndPages({
    config,
    kafka,
    supervise,
    sql,
    metrics,
    latestPosition,
  });
  const tracking = startLiveTracking({
    config,
    kafka,
    socketRegistry,
    system,
    regions,
    orders: new PostgresOrderStore(sql),
    metrics,
    health,
    stopping: stopping.signal,
    supervise,
    latestPosition,
    onOrder: (order) => views.orderChanged(order),
  });

  let draining = false;
  const sockets = new Set<DriverSocket>();
  const probe = new KafkaProbe(kafka);
  const app = new Hono();
  app.use("*", accessLog(), restCors(config.ALLOWED_ORIGINS), pathIds());
  app.use("/ws/*", async (_c, next) => {
    if (draining) return errorResponse(503, "shutting_down", "the server is shutting down");
    await next();
  });
  app.use("*", bodyLimit(config.MAX_BODY_BYTES, { metrics }));
  app.route(
    "/",
    driverWsRoute({
      system,
      secret: config.JWT_SECRET,
      metrics,
      open: sockets,
      allowedOrigins: config.ALLOWED_ORIGINS,
      rate: { perSec: config.SOCKET_RATE_PER_SEC, burst: config.SOCKET_RATE_BURST },
      registry: socketRegistry,
    }),
  );
  app.route("/", driversHttpRoute({ secret: config.JWT_SECRET, store, latestPosition }));
  app.route("/", tracking.routes);
  app.route("/", views.routes);
  app.route(
    "/",
    healthHttpRoute({
      checks: { kafka: () => probe.ping(), postgres: () => store.ping() },
      components: () => health.snapshot(),
      metrics: () => metrics.render(),
      draining: () => draining,
      metricsToken: config.METRICS_TOKEN,
    }),
  );
  app.route("/", apiDocsHttpRoute({ dev: config.JWT_SECRET === DEV_JWT_SECRET }));
  handleApiErrors(app);

  let server: Deno.HttpServer<Deno.NetAddr>;
  try {
    server = Deno.serve(
      { hostname: config.HOST, port: config.PORT, onListen: () => {} },
      app.fetch,
    );
  } catch (error) {
    throw portStartupError(error, config.HOST, config.PORT);
  }
  const rejectedFrames = new RejectedFramesSummary(metrics.fixesRejected);
  await rejectedFrames.start();
  let closing: Promise<void> | undefined;
  return {
    port: server.addr.port,
    routes: app.routes.map(({ method, path }) => ({ method, path })),
    close: () =>
      closing ??= (async () => {
        draining = true;
        stopping.abort();
        const step = stepsWithin(config.SHUTDOWN_GRACE_MS);
        await step("rejected frames summary", () => rejectedFrames.stop());
        await step("live tracking", () => tracking.close());
        await step("fleet and pages", () => views.close());
        await history.drain(step);
        await step("location producer", () => publisher.close());
        await step("actors", () => system.shutdown());
        for (const socket of sockets) {
          socket.close(CLOSE_CODES.goingAway, "server shutting down");
        }
        await step("http server", () => server.shutdown(), 1_000);
        await step("kafka probe", () => probe.close(), 1_000);
        await step("postgres", () => sql.end({ timeout: 1 }), 1_000);
        await step("embedded postgres", async () => await embedded?.close(), 1_000);
      })(),
  };
}

/**
 * Fails at once when `port` cannot be bound, before anything is connected (the server itself
 * binds it last). Port 0 (any free port) is not checked.
 */
function _checkPort(hostname: string, port: number): void {
  if (port === 0) return;
  try {
    Deno.listen({ hostname, port }).close();
  } catch (error) {
    throw portStartupError(error, hostname, port);
  }
}

function _actorGauges(system: ActorSystem, metrics: Metrics): void {
  for (const m of system.metrics()) {
    for (const [metric, value] of Object.entries(m)) {
      if (typeof value === "number") metrics.actors.set({ kind: m.kind, metric }, value);
    }
  }
}
