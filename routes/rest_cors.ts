import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { ANY_ORIGIN, isOwnOrigin, originMatcher } from "./origin_guard.ts";
import { isUpgradeRequest } from "./ws_upgrade.ts";

/**
 * CORS for the REST routes, from the same allow-list as the sockets (`ALLOWED_ORIGINS`), the
 * service's own origin always included ({@linkcode isOwnOrigin}): an allowed origin gets `Access-Control-Allow-Origin` (its own value, or `*` when the list
 * has `*`), preflights are answered with the methods and the `Authorization` and
 * `Content-Type` headers; other origins get no CORS headers, so browsers withhold the answer.
 * Tokens travel in `Authorization`, never cookies, so credentials stay off. WebSocket upgrades pass
 * untouched.
 */
export function restCors(allowed: readonly string[]): MiddlewareHandler {
  const admits = originMatcher(allowed);
  const any = allowed.some((o) => o.trim() === ANY_ORIGIN);
  const withCors = cors({
    origin: any
      ? ANY_ORIGIN
      : (origin, c) =>
        origin !== "" && (admits(origin) || isOwnOrigin(origin, c.req.raw)) ? origin : null,
    allowMethods: ["GET", "POST", "OPTIONS"],
    allowHeaders: ["Authorization", "Content-Type"],
    exposeHeaders: ["WWW-Authenticate", "Allow"],
    maxAge: 600,
  });
  // Browsers apply no CORS to WebSockets, the socket routes check the origin themselves
  // (`origin_guard.ts`), and the 101 is written by the socket layer, not from these headers.
  return (c, next) => isUpgradeRequest(c) ? next() : withCors(c, next);
}
