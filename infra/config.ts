import { z } from "zod";

/** The dev-only JWT secret used when `JWT_SECRET` is unset. Printed at start-up. */
export const DEV_JWT_SECRET = "dev-secret-change-me";

const int = (fallback: number) => z.coerce.number().int().positive().default(fallback);
const list = (fallback: string) =>
  z.string().default(fallback).transform((s) =>
    s.split(",").map((x) => x.trim()).filter((x) => x.length > 0)
  );

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8000),
  HOST: z.string().min(1).default("0.0.0.0"),
  KAFKA_BROKERS: z.string().min(1).default("127.0.0.1:9092")
    .transform((s) => s.split(",").map((b) => b.trim()).filter((b) => b.length > 0))
    .pipe(z.array(z.string().regex(/^[^:\s]+:\d+$/, "host:port")).min(1)),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, "a postgres:// URL").optional(),
  JWT_SECRET: z.string().min(8).default(DEV_JWT_SECRET),
  REGIONS_FILE: z.string().min(1).default(
    new URL("./regions/default_regions.json", import.meta.url).pathname,
  ),
  INSTANCE_ID: z.string().regex(/^[\w.-]+$/).default(() => `${Deno.hostname()}-${Deno.pid}`),
  LOCATIONS_TOPIC: z.string().min(1).default("driver-locations"),
  ORDER_EVENTS_TOPIC: z.string().min(1).default("order-events"),
  HISTORY_GROUP: z.string().min(1).default("history-writer"),
  HISTORY_FLUSH_ROWS: int(1000),
  HISTORY_FLUSH_MS: int(1000),
  FUTURE_MARGIN_MS: int(10_000),
  MAX_SPEED_MPS: int(70),
  ACK_INTERVAL_MS: int(200),
  DRIVER_IDLE_MS: int(300_000),
  SHUTDOWN_GRACE_MS: int(10_000),
  NOTIFIER_GROUP: z.string().min(1).default("notifier"),
  /** Distances from the drop-off, metres, at which the customer gets "driver near". */
  NEAR_THRESHOLDS_M: list("500,100").pipe(
    z.array(z.string().regex(/^\d+$/, "whole metres").transform(Number)).min(1),
  ),
  /** Distance from the pickup, metres, at which the restaurant gets "driver arriving". */
  ARRIVING_METERS: int(150),
  /** A driver inside a threshold counts as having left it only past threshold + this, metres. */
  NOTIFY_HYSTERESIS_M: int(30),
  /** Browser origins allowed to open sockets; requests without `Origin` (apps) are always allowed. */
  ALLOWED_ORIGINS: list("http://localhost:8000,http://127.0.0.1:8000"),
  /** Frames per second a socket may send on average, and the burst it may send at once. */
  SOCKET_RATE_PER_SEC: int(20),
  SOCKET_RATE_BURST: int(50),
  /** Bytes a viewer socket may have unsent before positions are conflated. */
  VIEWER_BUFFER_BYTES: int(64 * 1024),
  /** A viewer whose buffer stays over the limit this long is closed with 4008. */
  VIEWER_SLOW_MS: int(5_000),
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
});

/** The service's configuration, parsed from the environment. */
export type Config = z.infer<typeof schema>;

/**
 * Parses the configuration from environment variables, applying defaults.
 * Throws a `TypeError` that names every wrong variable.
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ""),
  );
  const parsed = schema.safeParse(present);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  throw new TypeError(`invalid configuration: ${problems.join("; ")}`);
}
