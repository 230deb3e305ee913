import type { MiddlewareHandler } from "hono";
import { errorResponse } from "./api_error.ts";

/** The allow-list entry that admits every origin. */
export const ANY_ORIGIN = "*";

/**
 * A test for browser origins against an allow-list: `*` admits all; entries compare
 * case-insensitively and without a trailing slash.
 */
export function originMatcher(allowed: readonly string[]): (origin: string) => boolean {
  const list = new Set(allowed.map(_normalize));
  const any = list.has(ANY_ORIGIN);
  return (origin) => any || list.has(_normalize(origin));
}

/**
 * Whether `origin` is the service's own: the scheme of the request's URL and the host (and port)
 * of its `Host` header (the URL's host without one). Pages the service serves open their sockets
 * from there on any `PORT` and host name, so the allow-list need not name it. Behind a proxy that
 * ends TLS or rewrites `Host`, the public origin still goes in `ALLOWED_ORIGINS`.
 */
export function isOwnOrigin(origin: string, request: Request): boolean {
  try {
    const url = new URL(request.url);
    const host = request.headers.get("Host") ?? url.host;
    if (!/^[\w.-]+(:\d+)?$|^\[[\da-f:.]+\](:\d+)?$/i.test(host)) return false;
    const theirs = new URL(origin.trim()).origin;
    return theirs !== "null" && theirs === new URL(`${url.protocol}//${host}`).origin;
  } catch {
    return false;
  }
}

/**
 * Hono middleware for socket routes: a request whose `Origin` header is neither the service's
 * own ({@linkcode isOwnOrigin}) nor in `allowed` gets 403 `origin_not_allowed` before anything
 * else runs, so no upgrade happens. Requests without `Origin` (native apps, servers) pass, since
 * only browsers send it; `*` in the list admits all. Entries compare case-insensitively and
 * without a trailing slash.
 *
 * @example
 * ```ts
 * app.get("/ws/orders/:id", originGuard(config.ALLOWED_ORIGINS), authenticate(secret), ws);
 * ```
 */
export function originGuard(allowed: readonly string[]): MiddlewareHandler {
  const admits = originMatcher(allowed);
  return async (c, next) => {
    const origin = c.req.header("Origin");
    if (origin !== undefined && !admits(origin) && !isOwnOrigin(origin, c.req.raw)) {
      const message = `origin ${JSON.stringify(origin)} is not allowed: it is not this ` +
        "service's own origin and not in ALLOWED_ORIGINS";
      return errorResponse(403, "origin_not_allowed", message);
    }
    await next();
  };
}

function _normalize(origin: string): string {
  return origin.trim().replace(/\/+$/, "").toLowerCase();
}
