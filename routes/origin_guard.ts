import type { MiddlewareHandler } from "hono";

/** The allow-list entry that admits every origin. */
export const ANY_ORIGIN = "*";

/**
 * Hono middleware for socket routes: a request whose `Origin` header is not in `allowed` gets
 * 403 (JSON `{error}`) before anything else runs, so no upgrade happens. Requests without
 * `Origin` (native apps, servers) pass, since only browsers send it; `*` in the list admits
 * all. Entries compare case-insensitively and without a trailing slash.
 *
 * @example
 * ```ts
 * app.get("/ws/orders/:id", originGuard(config.ALLOWED_ORIGINS), authenticate(secret), ws);
 * ```
 */
export function originGuard(allowed: readonly string[]): MiddlewareHandler {
  const list = new Set(allowed.map(_normalize));
  const any = list.has(ANY_ORIGIN);
  return async (c, next) => {
    const origin = c.req.header("Origin");
    if (origin !== undefined && !any && !list.has(_normalize(origin))) {
      return c.json({ error: `origin ${JSON.stringify(origin)} is not allowed` }, 403);
    }
    await next();
  };
}

function _normalize(origin: string): string {
  return origin.trim().replace(/\/+$/, "").toLowerCase();
}
