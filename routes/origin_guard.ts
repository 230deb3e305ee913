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
 * Hono middleware for socket routes: a request whose `Origin` header is not in `allowed` gets
 * 403 `origin_not_allowed` before anything else runs, so no upgrade happens. Requests without
 * `Origin` (native apps, servers) pass, since only browsers send it; `*` in the list admits
 * all. Entries compare case-insensitively and without a trailing slash.
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
    if (origin !== undefined && !admits(origin)) {
      const message = `origin ${JSON.stringify(origin)} is not allowed`;
      return errorResponse(403, "origin_not_allowed", message);
    }
    await next();
  };
}

function _normalize(origin: string): string {
  return origin.trim().replace(/\/+$/, "").toLowerCase();
}
