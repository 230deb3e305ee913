import { z } from "zod";
import {
  flag,
  int,
  list,
  optionalInt,
  optionalPort,
  port,
  setting,
  text,
} from "./config_setting.ts";

/**
 * The `INSTANCE_ID` of worker `index` under `deno task start`: `<INSTANCE_ID>-w<index>`, or
 * `<hostname>-w<index>` when `INSTANCE_ID` is unset (`instanceId`: the setting as given).
 */
export function workerInstanceId(instanceId: string | undefined, index: number): string {
  return `${instanceId ?? Deno.hostname()}-w${index}`;
}

/** Where the service listens, who it is, what it stores in, and its HTTP connections. */
export const SERVER_SETTINGS = {
  PORT: port(8000, { doc: "where to listen (0: any free port)" }),
  HOST: text("0.0.0.0", { doc: "the address to listen on" }),
  OSMAND_PORT: optionalPort({
    doc: "a second port for phone apps: the OsmAnd protocol at any path (as Traccar's 5055), " +
      "so an app can be pointed at `http://host:5055`; unset, phones use `/osmand` on `PORT` " +
      "([phones.md](phones.md)). Its connections are capped at a tenth of `MAX_CONNECTIONS`",
  }),
  REUSE_PORT: flag(false, {
    shown: "`0` (`1` from `start.ts --workers N`)",
    doc: "`1`: listen with SO_REUSEPORT (Linux) so that several processes share `PORT` (no " +
      "start-up port check then); needs `deno run --unstable-net`",
  }),
  INSTANCE_ID: setting(
    z.string().regex(/^[\w.-]+$/, "letters, digits, `_`, `.`, `-`")
      .default(() => `${Deno.hostname()}-${Deno.pid}`),
    {
      type: "string",
      shown: "`<hostname>-<pid>`",
      doc: "names this instance's Kafka clients and labels `tracking_instance_info` in " +
        "`/metrics`; `deno task start` names worker i `<INSTANCE_ID or hostname>-w<i>`",
    },
  ),
  DATABASE_URL: setting(z.string().regex(/^postgres(ql)?:\/\//, "a postgres:// URL").optional(), {
    type: "URL",
    shown: "unset: embedded PGlite",
    doc: "`postgres://user:pass@host:port/db`",
  }),
  REGIONS_FILE: text(new URL("./regions/default_regions.json", import.meta.url).pathname, {
    shown: "`infra/regions/default_regions.json`",
    doc: "regions: named `bbox` `[minLon, minLat, maxLon, maxLat]` or `polygon` " +
      "`[[lon, lat], ...]`, each with a `partition`, plus a `catchAll`; the default splits " +
      "Bengaluru into north (partition 0) and south (1), everything else is `other` (2)",
  }),
  SHUTDOWN_GRACE_MS: int(10_000, {
    unit: "ms",
    doc: "the one deadline for the whole shutdown, whatever is down",
  }),
  ALLOWED_ORIGINS: setting(list("http://localhost:8000,http://127.0.0.1:8000"), {
    type: "list",
    shown: "`http://localhost:8000,http://127.0.0.1:8000`",
    doc: "other browser origins allowed to open sockets and read REST answers (CORS) (`*` = " +
      "any); the service's own origin (request scheme + `Host`) always is, on any `PORT`",
  }),
  MAX_BODY_BYTES: int(64 * 1024, {
    unit: "bytes",
    doc: "largest HTTP request body; larger: 413 `body_too_large`",
  }),
  MAX_CONNECTIONS: optionalInt({
    shown: "the open-files limit less 256",
    doc: "TCP connections held at once; a new one over it is closed at once. Never more than " +
      "the open-files limit (read at start-up) allows",
  }),
  HTTP_HEADERS_TIMEOUT_MS: int(10_000, {
    unit: "ms",
    doc: "time a client has to send its request headers; then the connection is closed (408)",
  }),
  HTTP_REQUEST_TIMEOUT_MS: int(30_000, {
    unit: "ms",
    doc: "time a client has to send its whole request",
  }),
  HTTP_KEEPALIVE_TIMEOUT_MS: int(5_000, {
    unit: "ms",
    doc: "an idle keep-alive connection is closed after this long",
  }),
  WS_PING_INTERVAL_MS: int(30_000, {
    unit: "ms",
    doc: "every socket is pinged this often; one that missed the last ping is cut",
  }),
};
