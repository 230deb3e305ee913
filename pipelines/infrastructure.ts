import type { Config } from "../infra/config.ts";
import { ensureTopics } from "../infra/kafka/ensure_topics.ts";
import { type KafkaConnection, kafkaConnection } from "../infra/kafka/kafka_connection.ts";
import { KafkaProbe } from "../infra/kafka/kafka_probe.ts";
import {
  connectPostgres,
  POSTGRES_DEFAULTS,
  type Sql,
} from "../infra/postgres/connect_postgres.ts";
import { migrate } from "../infra/postgres/migrate.ts";
import { PostgresHistoryStore } from "../infra/postgres/history_store.ts";
import { PostgresOrderStore } from "../infra/postgres/order_store.ts";
import { PostgresShareStore } from "../infra/postgres/share_store.ts";
import { startEmbeddedPostgres } from "../infra/postgres/embedded_postgres.ts";
import { loadRegionMap } from "../infra/regions/load_region_map.ts";
import type { RegionMap } from "../domain/region_map.ts";
import {
  kafkaStartupError,
  portStartupError,
  postgresStartupError,
  regionsStartupError,
} from "../infra/startup_error.ts";
import type { Step } from "../lib/deadline_steps.ts";
import { deadline } from "../lib/deadline.ts";
import { logger } from "../lib/log.ts";

const _log = logger("service");

/** The dependencies every pipeline uses, ready: regions, PostgreSQL (migrated), Kafka (topics). */
export interface Infrastructure {
  readonly regions: RegionMap;
  readonly sql: Sql;
  /**
   * The pool of cursor-backed streams (`?stream=ndjson`), `MAX_STREAMS` connections, apart from
   * `sql`: streams held open by slow clients never take a connection orders, history pages or
   * readiness need.
   */
  readonly streamSql: Sql;
  /**
   * The history store the readers use (history, latest, readiness); the history writer inserts
   * through the one storage retention gives it, which creates day partitions on demand.
   */
  readonly store: PostgresHistoryStore;
  readonly orders: PostgresOrderStore;
  /** Share links of orders: who may still read an order with a share token. */
  readonly shares: PostgresShareStore;
  readonly kafka: KafkaConnection;
  /** Asks a broker for metadata (readiness). */
  readonly probe: KafkaProbe;
  /** Closes the probe, PostgreSQL and the embedded database, in that order (shutdown's last steps). */
  close(step: Step): Promise<void>;
}

/**
 * Settings first (the regions file, the port), then dependencies: each failure is a
 * `StartupError` naming its setting (docs/operations.md), and what was opened before it is closed.
 */
export async function startInfrastructure(config: Config): Promise<Infrastructure> {
  const regions = await loadRegionMap(config.REGIONS_FILE)
    .catch((error) => Promise.reject(regionsStartupError(error, config.REGIONS_FILE)));
  // With REUSE_PORT the other workers hold the port already: a plain bind would fail.
  if (!config.REUSE_PORT) _checkPort(config.HOST, config.PORT);
  const embedded = config.DATABASE_URL ? undefined : await startEmbeddedPostgres();
  const url = config.DATABASE_URL ?? embedded!.url;
  const sql = connectPostgres(url);
  // The embedded server's URL asks for one connection a pool (max=1): keep it.
  const streamSql = connectPostgres(url, embedded ? {} : { max: config.MAX_STREAMS });
  // A connection that never completes (an address that drops packets) may hang end() too.
  const abandon = async () => {
    const ends = Promise.all([streamSql.end({ timeout: 1 }), sql.end({ timeout: 1 })]);
    await deadline(ends, 1_000).catch(() => {});
    await embedded?.close();
  };
  try {
    // The server answers within the connect timeout, or start-up ends (postgres.js alone waits
    // for the operating system's TCP timeout, minutes, when nothing answers at all).
    await deadline(sql`SELECT 1`, POSTGRES_DEFAULTS.connectTimeoutSeconds * 1000);
    const applied = await migrate(sql);
    _log.debug("postgres ready", { migrationsApplied: applied });
  } catch (error) {
    await abandon();
    throw postgresStartupError(error, url);
  }
  const kafka = kafkaConnection(config);
  try {
    await _topics(config, kafka, regions.partitionCount);
  } catch (error) {
    await abandon();
    throw kafkaStartupError(error, config.KAFKA_BROKERS, config.KAFKA_CONNECT_TIMEOUT_MS);
  }
  const probe = new KafkaProbe(kafka);
  return {
    regions,
    sql,
    streamSql,
    store: new PostgresHistoryStore(sql),
    orders: new PostgresOrderStore(sql),
    shares: new PostgresShareStore(sql),
    kafka,
    probe,
    close: async (step) => {
      await step("kafka probe", () => probe.close(), 1_000);
      await step("postgres streams", () => streamSql.end({ timeout: 1 }), 1_000);
      await step("postgres", () => sql.end({ timeout: 1 }), 1_000);
      await step("embedded postgres", async () => await embedded?.close(), 1_000);
    },
  };
}

/** Creates driver-locations, order-events and zone-events with a partition per region partition, if missing. */
async function _topics(config: Config, kafka: KafkaConnection, partitions: number): Promise<void> {
  await ensureTopics(kafka, [
    { name: config.LOCATIONS_TOPIC, partitions },
    { name: config.ORDER_EVENTS_TOPIC, partitions },
    { name: config.ZONE_EVENTS_TOPIC, partitions },
  ], {
    timeoutMs: config.KAFKA_CONNECT_TIMEOUT_MS,
    ...(config.KAFKA_REPLICATION_FACTOR &&
      { replicationFactor: config.KAFKA_REPLICATION_FACTOR }),
  });
  _log.debug("kafka topics ready", { brokers: config.KAFKA_BROKERS });
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
