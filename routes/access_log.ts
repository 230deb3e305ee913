import type { Context, MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import { type Logger, logger } from "../lib/log.ts";
import { upgraded } from "./ws_upgrade.ts";

/** Paths that probes and scrapers call all the time: logged at debug only. */
export const QUIET_PATHS: readonly string[] = ["/healthz", "/readyz", "/metrics"];

/** Options for {@linkcode accessLog}. */
export interface AccessLogOptions {
  /** @default {logger("http")} */
  readonly log?: Logger;
  /** Milliseconds clock. @default {performance.now} */
  readonly now?: () => number;
}

/**
 * One line per request, once it is answered: `request` with `method`, `path` (never the query
 * string, where browsers carry their token), `status`, `durationMs` and the matched `route`
 * pattern (for a WebSocket upgrade, status 101, the socket's route). Health, readiness and
 * metrics requests are logged at debug, server errors (5xx) at warn, the rest at info.
 */
export function accessLog(options: AccessLogOptions = {}): MiddlewareHandler {
  const log = options.log ?? logger("http");
  const now = options.now ?? (() => performance.now());
  return async (c, next) => {
    const started = now();
    try {
      await next();
    } finally {
      const status = upgraded(c) ? 101 : c.res.status;
      const fields = {
        method: c.req.method,
        path: c.req.path,
        status,
        durationMs: Math.round((now() - started) * 10) / 10,
        ...(_route(c) && { route: _route(c) }),
      };
      if (QUIET_PATHS.includes(c.req.path)) log.debug("request", fields);
      else if (status >= 500) log.warn("request", fields);
      else log.info("request", fields);
    }
  };
}

/** The pattern of the handler that answered (not a middleware's `*`), if any. */
function _route(c: Context): string | undefined {
  const routes = matchedRoutes(c).filter((r) => r.method !== "ALL");
  return routes.at(-1)?.path;
}
