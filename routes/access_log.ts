import type { Context, MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import { type Logger, logger } from "../lib/log.ts";
import { upgraded } from "./ws_upgrade.ts";

/** Paths that probes and scrapers call all the time: logged at debug only. */
export const QUIET_PATHS: readonly string[] = ["/healthz", "/readyz", "/metrics"];

/**
 * Paths a phone calls once per fix (the OsmAnd protocol): a 2xx is logged at debug only, like a
 * socket's frames (one line per fix at info took 4–5% of the service's CPU at 1,000 phone fixes a
 * second); any other status at info (or warn for 5xx), as every request.
 */
export const PER_FIX_PATHS: readonly string[] = ["/osmand"];

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
 * metrics requests, and answered phone fixes ({@linkcode PER_FIX_PATHS}), are logged at debug,
 * server errors (5xx) at warn, the rest at info.
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
      const path = c.req.path;
      const quiet = QUIET_PATHS.includes(path) ||
        (status < 300 && status >= 200 && PER_FIX_PATHS.includes(path));
      const level = quiet ? "debug" : status >= 500 ? "warning" : "info";
      if (log.isEnabledFor(level)) {
        log[level === "warning" ? "warn" : level]("request", {
          method: c.req.method,
          path,
          status,
          durationMs: Math.round((now() - started) * 10) / 10,
          ...(_route(c) && { route: _route(c) }),
        });
      }
    }
  };
}

/** The pattern of the handler that answered (not a middleware's `*`), if any. */
function _route(c: Context): string | undefined {
  const routes = matchedRoutes(c).filter((r) => r.method !== "ALL");
  return routes.at(-1)?.path;
}
