import { z } from "zod";
import { DEFAULT_FIX_RULES } from "../domain/fix_filter.ts";
import { SHARED_DEFAULTS } from "../domain/shared_defaults.ts";
import { STREAM_LIMITS } from "../domain/stream_limits.ts";
import { THRESHOLD_DEFAULTS } from "../domain/threshold_tracker.ts";
import { TOKEN_RULE_DEFAULTS } from "../domain/token_rules.ts";
import { ZONE_RULE_DEFAULTS } from "../domain/zone_presence.ts";

/**
 * The dev-only JWT secret, used when `JWT_SECRET` is unset and `TRACKING_DEV=1` (set by
 * `deno task dev`). Printed at start-up. Anywhere else start-up refuses it.
 */
export const DEV_JWT_SECRET = "dev-secret-change-me-never-use-in-production";

/** Fewest bytes (UTF-8) a `JWT_SECRET` must have: HS256 wants a key as long as its hash. */
export const MIN_JWT_SECRET_BYTES = 32;

/**
 * Defaults of settings that infra modules also fall back on when a caller leaves the option out
 * (`ResilientProducer.graceMs`, `KafkaLocationPublisher.maxQueued`): the schema below uses them.
 */
export const KAFKA_OUTAGE_DEFAULTS = {
  /** `KAFKA_OUTAGE_GRACE_MS`, ms. */
  graceMs: 30_000,
  /** `KAFKA_OUTAGE_QUEUE`, records. */
  queued: 100_000,
} as const;

const int = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const list = (fallback: string) =>
  z.string().default(fallback).transform((s) =>
    s.split(",").map((x) => x.trim()).filter((x) => x.length > 0)
  );

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8000),
  HOST: z.string().min(1).default("0.0.0.0"),
  /**
   * A second port for phone apps (the OsmAnd protocol at any path, as Traccar's 5055), on `HOST`;
   * unset: only `/osmand` on `PORT` (docs/phones.md).
   */
  OSMAND_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /**
   * `1`: listen with SO_REUSEPORT (Linux), so that several processes share `PORT` and the kernel
   * spreads connections over them. Set by `start.ts --workers N`; needs `--unstable-net`.
   */
  REUSE_PORT: z.enum(["0", "1"]).default("0").transform((v) => v === "1"),
  KAFKA_BROKERS: z.string().min(1).default("127.0.0.1:9092")
    .transform((s) => s.split(",").map((b) => b.trim()).filter((b) => b.length > 0))
    .pipe(z.array(z.string().regex(/^[^:\s]+:\d+$/, "host:port")).min(1)),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, "a postgres:// URL").optional(),
  JWT_SECRET: z.string().optional(),
  /** Longest token lifetime accepted, seconds: `exp - iat` (or `exp - now` without `iat`). */
  JWT_MAX_TTL: int(TOKEN_RULE_DEFAULTS.maxTtlS),
  REGIONS_FILE: z.string().min(1).default(
    new URL("./regions/default_regions.json", import.meta.url).pathname,
  ),
  INSTANCE_ID: z.string().regex(/^[\w.-]+$/).default(() => `${Deno.hostname()}-${Deno.pid}`),
  LOCATIONS_TOPIC: z.string().min(1).default("driver-locations"),
  ORDER_EVENTS_TOPIC: z.string().min(1).default("order-events"),
  HISTORY_GROUP: z.string().min(1).default("history-writer"),
  HISTORY_FLUSH_ROWS: int(SHARED_DEFAULTS.historyFlushRows),
  HISTORY_FLUSH_MS: int(SHARED_DEFAULTS.historyFlushMs),
  /** Days of `driver_locations` kept; older day partitions are dropped. */
  HISTORY_RETENTION_DAYS: int(SHARED_DEFAULTS.historyRetentionDays),
  /** Days a finished (delivered or cancelled) order and its notifications are kept. */
  ORDER_RETENTION_DAYS: int(90),
  /** Days a dead letter (a record the history could not store) is kept. */
  DEAD_LETTER_RETENTION_DAYS: int(14),
  FUTURE_MARGIN_MS: int(DEFAULT_FIX_RULES.futureMarginMs),
  MAX_SPEED_MPS: int(DEFAULT_FIX_RULES.maxSpeedMps),
  ACK_INTERVAL_MS: int(SHARED_DEFAULTS.ackIntervalMs),
  DRIVER_IDLE_MS: int(SHARED_DEFAULTS.driverIdleMs),
  SHUTDOWN_GRACE_MS: int(10_000),
  NOTIFIER_GROUP: z.string().min(1).default("notifier"),
  /** Distances from the drop-off, metres, at which the customer gets "driver near". */
  NEAR_THRESHOLDS_M: list("500,100").pipe(
    z.array(z.string().regex(/^\d+$/, "whole metres").transform(Number)).min(1),
  ),
  /** Distance from the pickup, metres, at which the restaurant gets "driver arriving". */
  ARRIVING_METERS: int(150),
  /** A driver inside a threshold counts as having left it only past threshold + this, metres. */
  NOTIFY_HYSTERESIS_M: int(THRESHOLD_DEFAULTS.hysteresisMeters),
  /** Browser origins allowed to open sockets; requests without `Origin` (apps) are always allowed. */
  ALLOWED_ORIGINS: list("http://localhost:8000,http://127.0.0.1:8000"),
  /** Frames per second a socket may send on average, and the burst it may send at once. */
  SOCKET_RATE_PER_SEC: int(20),
  SOCKET_RATE_BURST: int(50),
  /** Bytes a viewer socket may have unsent before positions are conflated. */
  VIEWER_BUFFER_BYTES: int(64 * 1024),
  /** A viewer whose buffer stays over the limit this long is closed with 4008. */
  VIEWER_SLOW_MS: int(5_000),
  /** A driver position with no newer fix for this long is stale: its age shown, no ETA counted. */
  STALE_AFTER_MS: int(SHARED_DEFAULTS.staleAfterMs),
  // --- Kafka cluster and faults ---
  /** Replicas of each topic the service creates; default min(3, brokers in the cluster). */
  KAFKA_REPLICATION_FACTOR: z.coerce.number().int().positive().optional(),
  /** TLS to the brokers (`true`); PEM files for a private CA and a client certificate. */
  KAFKA_TLS: z.enum(["true", "false"]).default("false").transform((v) => v === "true"),
  KAFKA_TLS_CA_FILE: z.string().min(1).optional(),
  KAFKA_TLS_CERT_FILE: z.string().min(1).optional(),
  KAFKA_TLS_KEY_FILE: z.string().min(1).optional(),
  /** SASL authentication to the brokers; needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD. */
  KAFKA_SASL_MECHANISM: z.enum(["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"]).optional(),
  KAFKA_SASL_USERNAME: z.string().min(1).optional(),
  KAFKA_SASL_PASSWORD: z.string().min(1).optional(),
  /** How long start-up waits for a Kafka broker to answer before it gives up (exit code 1). */
  KAFKA_CONNECT_TIMEOUT_MS: int(30_000),
  /** How long accepted fixes wait for an unreachable Kafka before drivers are told to resend. */
  KAFKA_OUTAGE_GRACE_MS: int(KAFKA_OUTAGE_DEFAULTS.graceMs),
  /** Accepted fixes held while Kafka is unreachable; past this, new fixes are refused. */
  KAFKA_OUTAGE_QUEUE: int(KAFKA_OUTAGE_DEFAULTS.queued),
  // Resource limits (docs/limits.md).
  /** Largest HTTP request body, bytes; a larger one gets 413 `body_too_large`. */
  MAX_BODY_BYTES: int(64 * 1024),
  /** Sockets (driver and viewer, open or being opened/closed) this instance holds; over: 503. */
  MAX_SOCKETS: int(150_000),
  /** Sockets one principal (role + sub) may hold; over: 429. A driver's newest socket replaces the others. */
  MAX_SOCKETS_PER_PRINCIPAL: int(5),
  /** The same for an `ops` principal, whose ops map may watch many orders at once. */
  MAX_SOCKETS_PER_OPS: int(100),
  /**
   * TCP connections held at once (default: the open-files limit less 256, read at start-up);
   * a new connection over it is closed at once. Never more than the open-files limit allows.
   */
  MAX_CONNECTIONS: z.coerce.number().int().positive().optional(),
  /** Time a client has to send its request headers, ms; then the connection is closed (408). */
  HTTP_HEADERS_TIMEOUT_MS: int(10_000),
  /** Time a client has to send its whole request, ms. */
  HTTP_REQUEST_TIMEOUT_MS: int(30_000),
  /** An idle keep-alive connection is closed after this many ms. */
  HTTP_KEEPALIVE_TIMEOUT_MS: int(5_000),
  /** Every socket is pinged this often; one that missed the last ping is cut. */
  WS_PING_INTERVAL_MS: int(30_000),
  // History streams (docs/limits.md, "History streams").
  /** Cursor-backed streams (`?stream=ndjson`) open at once, and their own pool's size; over: 429. */
  MAX_STREAMS: int(STREAM_LIMITS.maxStreams),
  /** Streams one principal (role + sub) may have open at once; over: 429 `too_many_streams`. */
  MAX_STREAMS_PER_PRINCIPAL: int(STREAM_LIMITS.maxPerPrincipal),
  /** A stream whose client reads nothing for this long is ended and its cursor closed, ms. */
  STREAM_STALL_MS: int(STREAM_LIMITS.stallMs),
  /** A stream is ended this long after it started, read or not, ms. */
  STREAM_MAX_MS: int(STREAM_LIMITS.maxMs),
  /** REST writes (POST, PUT, PATCH, DELETE) per principal: a second on average, and at once; over: 429. */
  REST_WRITES_PER_SEC: int(5),
  REST_WRITES_BURST: int(20),
  /** REST reads (GET, HEAD) per principal, the same way. */
  REST_READS_PER_SEC: int(50),
  REST_READS_BURST: int(100),
  /** An `ops` principal (a dispatcher acting for a whole city) gets this many times both REST budgets. */
  REST_OPS_RATE_FACTOR: int(20),
  // Security settings (helper-d): dev mode, metrics token. JWT_SECRET is resolved below.
  /** `1` in `deno task dev` only: allows the dev JWT secret. */
  TRACKING_DEV: z.enum(["0", "1"]).default("0"),
  /** When set, `GET /metrics` needs `Authorization: Bearer <METRICS_TOKEN>`. */
  METRICS_TOKEN: z.string().min(16, "at least 16 characters").optional(),
  // Logs (docs/operations.md).
  /** Lowest level logged. */
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  /** `json`: one JSON object per line; `pretty`: for people (the default in dev mode). */
  LOG_FORMAT: z.enum(["json", "pretty"]).optional(),
  // Pages and the ops fleet feed.
  /** Base-map tile URL template for the pages (`{z}/{x}/{y}`); `none` draws no tiles. */
  MAP_TILES_URL: z.string().min(1).default("https://tile.openstreetmap.org/{z}/{x}/{y}.png"),
  /** Attribution shown with the tiles (HTML). */
  MAP_TILES_ATTRIBUTION: z.string().default(
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
  ),
  /** The fleet feed sends each driver at most once per this many ms. */
  FLEET_UPDATE_MS: int(1000),
  /** Above this many drivers in a viewport the fleet feed sends clusters instead. */
  FLEET_MAX_POINTS: int(500),
  /** A driver without a fix for this long is gone from the fleet map. */
  FLEET_GONE_MS: int(60_000),
  /** `GET /drivers/nearby` leaves out drivers whose newest fix is older than this. */
  NEARBY_MAX_AGE_MS: int(60_000),
  /** A share link (`POST /orders/:id/share`) lives this many seconds at most (and ends at delivery). */
  SHARE_TTL_S: int(24 * 3600),
  /** Zones (docs/zones.md): the judge's shared group, its topic, its margins, the re-read interval. */
  ZONES_GROUP: z.string().min(1).default("zone-judge"),
  ZONE_EVENTS_TOPIC: z.string().min(1).default("zone-events"),
  ZONE_ENTER_MARGIN_M: int(ZONE_RULE_DEFAULTS.enterMarginM),
  ZONE_EXIT_MARGIN_M: int(ZONE_RULE_DEFAULTS.exitMarginM),
  ZONES_REFRESH_MS: int(5_000),
}).superRefine((c, ctx) => {
  if (c.KAFKA_SASL_MECHANISM && !(c.KAFKA_SASL_USERNAME && c.KAFKA_SASL_PASSWORD)) {
    ctx.addIssue({
      code: "custom",
      path: ["KAFKA_SASL_MECHANISM"],
      message: "needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD",
    });
  }
  if ((c.KAFKA_TLS_CERT_FILE === undefined) !== (c.KAFKA_TLS_KEY_FILE === undefined)) {
    ctx.addIssue({
      code: "custom",
      path: ["KAFKA_TLS_CERT_FILE"],
      message: "KAFKA_TLS_CERT_FILE and KAFKA_TLS_KEY_FILE go together",
    });
  }
});

/** The service's configuration, parsed from the environment. */
export type Config = Omit<z.infer<typeof schema>, "JWT_SECRET"> & { JWT_SECRET: string };

/**
 * Parses the configuration from environment variables, applying defaults.
 * Throws a `TypeError` that names every wrong variable.
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ""),
  );
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new TypeError(`invalid configuration: ${problems.join("; ")}`);
  }
  const dev = parsed.data.TRACKING_DEV === "1";
  return { ...parsed.data, JWT_SECRET: jwtSecret(parsed.data.JWT_SECRET, dev) };
}

/**
 * The JWT secret to use: `JWT_SECRET` when it has at least {@linkcode MIN_JWT_SECRET_BYTES}
 * bytes and is not the dev secret; the dev secret only in dev mode (`TRACKING_DEV=1`) when
 * unset. Throws a `TypeError` with a one-line reason otherwise.
 */
export function jwtSecret(value: string | undefined, dev: boolean): string {
  if (value === undefined) {
    if (dev) return DEV_JWT_SECRET;
    throw new TypeError(
      `JWT_SECRET is unset: set a random secret of at least ${MIN_JWT_SECRET_BYTES} bytes ` +
        "(e.g. openssl rand -base64 48), or use `deno task dev` for the dev secret",
    );
  }
  if (value === DEV_JWT_SECRET && !dev) {
    throw new TypeError("JWT_SECRET is the dev secret: only `deno task dev` may use it");
  }
  const bytes = new TextEncoder().encode(value).length;
  if (bytes < MIN_JWT_SECRET_BYTES) {
    throw new TypeError(
      `JWT_SECRET has ${bytes} bytes: at least ${MIN_JWT_SECRET_BYTES} are required`,
    );
  }
  return value;
}
