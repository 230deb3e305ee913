import type { MiddlewareHandler } from "hono";
import type { AuthEnv, Principal } from "./auth.ts";
import type { SocketLease, SocketRegistry } from "./socket_registry.ts";
import { upgraded } from "./ws_upgrade.ts";
import type { Metrics } from "../infra/metrics.ts";

/** Hono variables set by {@linkcode socketAdmission}: the principal and its socket's lease. */
export type SocketEnv = { Variables: AuthEnv["Variables"] & { lease: SocketLease } };

/**
 * Middleware for socket routes, after `authenticate` and before the upgrade: admits the socket
 * in `registry` (see {@linkcode SocketRegistry.admit}) and sets `lease`, or answers 429/503 with
 * `{"error":{"code","message"}}` and a `Retry-After`, so a refused client never gets a socket.
 * The lease is freed here when no upgrade happens; after one, the socket's `onClose` frees it.
 */
export function socketAdmission(
  registry: SocketRegistry,
  options: {
    /** A driver's socket: it replaces the principal's older ones. */
    readonly exclusive?: boolean;
    /** Counts refusals in `tracking_limit_refusals_total`. */
    readonly metrics?: Pick<Metrics, "limitRefusals"> | undefined;
  } = {},
): MiddlewareHandler<SocketEnv> {
  return async (c, next) => {
    const principal: Principal = c.get("principal");
    const admission = registry.admit(principal, { exclusive: options.exclusive ?? false });
    if (!admission.ok) {
      const { status, code, message } = admission;
      options.metrics?.limitRefusals.inc({ reason: code });
      c.header("Retry-After", status === 429 ? "1" : "5");
      return c.json({ error: { code, message } }, status);
    }
    c.set("lease", admission);
    try {
      await next();
    } finally {
      if (!upgraded(c)) admission.release();
    }
  };
}
