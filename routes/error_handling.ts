import type { Context, Hono } from "hono";
import type { Env } from "hono/types";
import { HTTPException } from "hono/http-exception";
import { PatternRouter } from "hono/router/pattern-router";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { errorResponse } from "./api_error.ts";
import { logger } from "../lib/log.ts";

const _METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/** Codes for an `HTTPException` thrown without an API error response. */
const _CODES: Record<number, string> = {
  400: "bad_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  409: "conflict",
  503: "unavailable",
};

/**
 * Gives every error of `app` the API error shape: call it once, after every route is added.
 * - an unknown path is 404 `not_found`; a known path with another method is 405
 *   `method_not_allowed` with `Allow`; a route that let its request through unanswered (a
 *   WebSocket route given a plain request) is 426 `upgrade_required`;
 * - an `HTTPException` answers with its own response when it has one (see `apiError`), else
 *   with its status, a code for that status and its message;
 * - anything else is logged and is 500 `internal` (no detail leaks).
 */
export function handleApiErrors<E extends Env>(
  app: Hono<E>,
  options: { log?: (message: string, error: unknown) => void } = {},
): void {
  const log = options.log ??
    ((message, error) => logger("http").error(message, { error }));
  let allowed: ((path: string) => string[]) | undefined;
  app.notFound((c) => {
    allowed ??= _allowedMethods(app);
    const methods = allowed(c.req.path);
    if (methods.includes(c.req.method)) {
      // The route exists for this method and let the request through: a WebSocket route
      // (hono's upgradeWebSocket passes on a request that is not an upgrade).
      return errorResponse(426, "upgrade_required", `${c.req.path} is a WebSocket endpoint`, {
        headers: { Upgrade: "websocket", Connection: "Upgrade" },
      });
    }
    if (methods.length > 0) {
      return errorResponse(405, "method_not_allowed", `${c.req.method} is not allowed here`, {
        headers: { Allow: methods.join(", ") },
      });
    }
    return errorResponse(404, "not_found", `no route for ${c.req.method} ${c.req.path}`);
  });
  app.onError((error, c: Context) => {
    if (error instanceof HTTPException) {
      const response = error.getResponse();
      if (response.headers.get("content-type")?.includes("application/json")) return response;
      const status = error.status as ContentfulStatusCode;
      return errorResponse(status, _CODES[status] ?? "error", error.message || "request refused");
    }
    log(`request failed: ${c.req.method} ${c.req.path}`, error);
    return errorResponse(500, "internal", "internal error");
  });
}

/** For a path, the methods that have a route (middleware excluded). */
function _allowedMethods<E extends Env>(app: Hono<E>): (path: string) => string[] {
  const router = new PatternRouter<string>();
  for (const route of app.routes) {
    if ((_METHODS as readonly string[]).includes(route.method)) {
      router.add(route.method, route.path, route.method);
    }
  }
  return (path) => _METHODS.filter((m) => router.match(m, path)[0].length > 0);
}
