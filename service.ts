import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { ActorSystem } from "./actors/runtime/mod.ts";
import { driverActorKind, type DriverMessage } from "./actors/driver_actor.ts";
import { historyActorKind, type HistoryMessage } from "./actors/history_actor.ts";
import type { RegionMessage } from "./actors/region_actor.ts";
import { CLOSE_CODES, type DriverSocket } from "./actors/driver_protocol.ts";
import type { Config } from "./infra/config.ts";
import { Metrics } from "./infra/metrics.ts";
import { ensureTopics } from "./infra/kafka/ensure_topics.ts";
import { KafkaLocationPublisher } from "./infra/kafka/location_publisher.ts";
import { LocationConsumer } from "./infra/kafka/location_consumer.ts";
import { KafkaProbe } from "./infra/kafka/kafka_probe.ts";
import type { LocationRecord } from "./infra/kafka/location_record.ts";
import { connectPostgres } from "./infra/postgres/connect_postgres.ts";
import { migrate } from "./infra/postgres/migrate.ts";
import { PostgresHistoryStore } from "./infra/postgres/history_store.ts";
import { PostgresOrderStore } from "./infra/postgres/order_store.ts";
import { startEmbeddedPostgres } from "./infra/postgres/embedded_postgres.ts";
import { RegionMap } from "./infra/regions/region_map.ts";
import { driverWsRoute } from "./routes/driver_ws.ts";
import { driversHttpRoute } from "./routes/drivers_http.ts";
import { healthHttpRoute } from "./routes/health_http.ts";
import { startLiveTracking } from "./live_tracking.ts";
import { startFleetAndPages } from "./fleet_and_pages.ts";

/** A running service instance. */
export interface Service {
  /** The port it listens on (useful with `PORT=0`). */
  readonly port: number;
  /** Drains and stops: see {@linkcode startService}. */
  close(): Promise<void>;
}

/** The history writer's ask waits as long as it must: it is how the consumer is held back. */
const NO_TIMEOUT = Infinity;

/**
 * Wires configuration, infrastructure, actors and routes, and starts serving.
 * `close()` drains: refuse new work, publish what was accepted, ack it, flush and commit the
 * history, close driver sockets with 1001, then stop every client.
 */
export async function startService(config: Config): Promise<Service> {
  const embedded = config.DATABASE_URL ? undefined : await startEmbeddedPostgres();
  const sql = connectPostgres(config.DATABASE_URL ?? embedded!.url);
  await migrate(sql);
  const store = new PostgresHistoryStore(sql);
  const regions = await RegionMap.load(config.REGIONS_FILE);
  const brokers = config.KAFKA_BROKERS;
  await ensureTopics(brokers, [
    { name: config.LOCATIONS_TOPIC, partitions: regions.partitionCount },
    { name: config.ORDER_EVENTS_TOPIC, partitions: regions.partitionCount },
  ]);

  const metrics = new Metrics();
  const system = new ActorSystem({
    onError: (kind, id, error) => console.error(`actor ${kind}/${id} failed:`, error),
  });
  metrics.onScrape(() => _actorGauges(system, metrics));
  const publisher = new KafkaLocationPublisher({ brokers, topic: config.LOCATIONS_TOPIC, metrics });
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
        speedRejectsBeforeReset: 3,
      },
      ackIntervalMs: config.ACK_INTERVAL_MS,
      idleMs: config.DRIVER_IDLE_MS,
      // Called only once frames flow, after `tracking` below is set.
      orderEvent: (orderId, command) => tracking.orderEvent(orderId, command),
    }),
  );
  system.register<HistoryMessage>(
    "history",
    historyActorKind({
      store,
      metrics,
      options: { flushRows: config.HISTORY_FLUSH_ROWS, flushMs: config.HISTORY_FLUSH_MS },
      onError: (error) => console.error("history flush failed, will retry:", error),
    }),
  );

  const historyPartitions = new Set<number>();
  const history = await LocationConsumer.start({
    brokers,
    topic: config.LOCATIONS_TOPIC,
    groupId: config.HISTORY_GROUP,
    mode: "committed",
    metrics,
    onRecords: async (partition, records) => {
      historyPartitions.add(partition);
      await system.ref<HistoryMessage>("history", String(partition))
        .ask<void>((replyTo) => ({ type: "records", records, replyTo }), { timeoutMs: NO_TIMEOUT });
    },
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
  const tracking = await startLiveTracking({
    config,
    system,
    regions,
    orders: new PostgresOrderStore(sql),
    metrics,
    latestPosition,
  });

  let draining = false;
  const sockets = new Set<DriverSocket>();
  const probe = new KafkaProbe(brokers);
  const app = new Hono();
  app.use("/ws/*", async (c, next) => {
    if (draining) return c.json({ error: "shutting down" }, 503);
    await next();
  });
  app.route(
    "/",
    driverWsRoute({
      system,
      secret: config.JWT_SECRET,
      metrics,
      open: sockets,
      allowedOrigins: config.ALLOWED_ORIGINS,
      rate: { perSec: config.SOCKET_RATE_PER_SEC, burst: config.SOCKET_RATE_BURST },
    }),
  );
  app.route("/", driversHttpRoute({ secret: config.JWT_SECRET, store, latestPosition }));
  app.route("/", tracking.routes);
  const views = await startFleetAndPages({ config, sql, metrics, latestPosition });
  app.route("/", views.routes);
  app.route(
    "/",
    healthHttpRoute({
      checks: { kafka: () => probe.ping(), postgres: () => store.ping() },
      metrics: () => metrics.render(),
      draining: () => draining,
    }),
  );
  app.onError((error, c) => {
    if (error instanceof HTTPException) return c.json({ error: error.message }, error.status);
    console.error("request failed:", error);
    return c.json({ error: "internal error" }, 500);
  });

  const server = Deno.serve(
    { hostname: config.HOST, port: config.PORT, onListen: () => {} },
    app.fetch,
  );
  let closing: Promise<void> | undefined;
  return {
    port: server.addr.port,
    close: () =>
      closing ??= (async () => {
        draining = true;
        await tracking.close();
        await views.close();
        await history.pause();
        await Promise.all([...historyPartitions].map((p) =>
          system.ref<HistoryMessage>("history", String(p))
            .ask<void>((replyTo) => ({ type: "drain", replyTo }), {
              timeoutMs: config.SHUTDOWN_GRACE_MS,
            })
            .catch((error) => console.error(`history ${p} did not drain:`, error))
        ));
        await history.close();
        await publisher.close();
        await system.shutdown();
        for (const socket of sockets) {
          socket.close(CLOSE_CODES.goingAway, "server shutting down");
        }
        await server.shutdown();
        await probe.close();
        await sql.end();
        await embedded?.close();
      })(),
  };
}

function _actorGauges(system: ActorSystem, metrics: Metrics): void {
  for (const m of system.metrics()) {
    for (const [metric, value] of Object.entries(m)) {
      if (typeof value === "number") metrics.actors.set({ kind: m.kind, metric }, value);
    }
  }
}
