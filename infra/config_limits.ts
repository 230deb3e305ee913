import { STREAM_LIMITS } from "../domain/stream_limits.ts";
import { int } from "./config_setting.ts";

/** What one client, and all of them, may take (docs/limits.md). */
export const LIMIT_SETTINGS = {
  MAX_SOCKETS: int(150_000, {
    doc: "sockets this instance holds; more: 503 `server_at_capacity`",
  }),
  MAX_SOCKETS_PER_PRINCIPAL: int(5, {
    doc: "sockets one principal (role + sub) may hold, replaced ones included; more: 429 " +
      "`too_many_sockets` (docs/limits.md)",
  }),
  MAX_SOCKETS_PER_OPS: int(100, {
    doc: "the same for an `ops` principal, whose ops map may watch many orders at once",
  }),
  SOCKET_RATE_PER_SEC: int(20, { unit: "frames/s", doc: "frames per socket, on average" }),
  SOCKET_RATE_BURST: int(50, { unit: "frames", doc: "frames per socket at once" }),
  VIEWER_BUFFER_BYTES: int(64 * 1024, {
    unit: "bytes",
    doc: "unsent bytes at which a viewer's positions conflate",
  }),
  VIEWER_SLOW_MS: int(5_000, {
    unit: "ms",
    doc: "how long a viewer may stay over `VIEWER_BUFFER_BYTES` before 4008",
  }),
  MAX_STREAMS: int(STREAM_LIMITS.maxStreams, {
    doc: "history streams (`?stream=ndjson`) open at once in the instance (also the size of " +
      "their own database pool); more: 429 `too_many_streams` (docs/limits.md)",
  }),
  MAX_STREAMS_PER_PRINCIPAL: int(STREAM_LIMITS.maxPerPrincipal, {
    doc: "history streams one principal may have open at once; more: 429 `too_many_streams`",
  }),
  STREAM_STALL_MS: int(STREAM_LIMITS.stallMs, {
    unit: "ms",
    doc: "a stream whose client reads nothing this long is cut and its cursor closed",
  }),
  STREAM_MAX_MS: int(STREAM_LIMITS.maxMs, {
    unit: "ms",
    doc: "no stream lasts longer, read or not",
  }),
  REST_WRITES_PER_SEC: int(5, {
    unit: "requests/s",
    doc: "REST writes (POST, PUT, PATCH, DELETE) per principal, on average; more: 429 " +
      "`rate_limited` (docs/limits.md)",
  }),
  REST_WRITES_BURST: int(20, { unit: "requests", doc: "REST writes per principal at once" }),
  REST_READS_PER_SEC: int(50, {
    unit: "requests/s",
    doc: "REST reads (GET, HEAD) per principal, on average; more: 429 `rate_limited`",
  }),
  REST_READS_BURST: int(100, { unit: "requests", doc: "REST reads per principal at once" }),
  REST_OPS_RATE_FACTOR: int(20, {
    doc: "an `ops` principal gets this many times both REST budgets",
  }),
};
