import type { MiddlewareHandler } from "hono";
import { errorResponse } from "./api_error.ts";
import { verifyToken } from "./auth.ts";
import { PrincipalLimiters } from "./principal_limiters.ts";
import type { RateLimiterOptions } from "./rate_limiter.ts";
import type { Metrics } from "../infra/metrics.ts";

/** Requests per second on average, and at once. */
export type RestRate = Pick<RateLimiterOptions, "perSec" | "burst">;

/** Options of {@linkcode restRateLimit}. */
export interface RestRateLimitOptions {
  /** The JWT secret: only a valid token names a principal. */
  readonly secret: string;
  /** POST, PUT, PATCH and DELETE of one principal (`REST_WRITES_PER_SEC`, `REST_WRITES_BURST`). */
  readonly writes: RestRate;
  /** GET and HEAD of one principal (`REST_READS_PER_SEC`, `REST_READS_BURST`). */
  readonly reads: RestRate;
  /** An `ops` principal gets this many times both rates and bursts (`REST_OPS_RATE_FACTOR`). @default 1 */
  readonly opsFactor?: number | undefined;
  /** Counts refusals as `tracking_limit_refusals_total{reason="rate_limited"}`. */
  readonly metrics?: Pick<Metrics, "limitRefusals"> | undefined;
  /** Time source in milliseconds. @default performance.now() */
  readonly clock?: { now(): number } | undefined;
}

const _WRITES = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const _BEARER = /^Bearer +(\S+) *$/i;

/**
 * Rate limits REST requests per principal (a token's role and sub), before any route runs:
 * past its budget a principal gets 429 `rate_limited` with `Retry-After`, in the service's error
 * shape; other principals are not affected. Writes and reads have separate budgets. Requests
 * without a valid `Authorization: Bearer` token pass untouched (the route refuses them, or is
 * public), and so do WebSocket upgrades (the socket limits cover them). Register it once, before
 * the routes, so every route is covered.
 *
 * @example
 * ```ts
 * app.use("*", restRateLimit({ secret, writes: { perSec: 5, burst: 20 }, reads: { perSec: 50, burst: 100 } }));
 * ```
 */
export function restRateLimit(options: RestRateLimitOptions): MiddlewareHandler {
  const factor = options.opsFactor ?? 1;
  const scaled = (r: RestRate) => ({ perSec: r.perSec * factor, burst: r.burst * factor });
  const make = (rate: RestRate) => new PrincipalLimiters({ rate, clock: options.clock });
  const budgets = {
    writes: { rate: options.writes, limiters: make(options.writes) },
    reads: { rate: options.reads, limiters: make(options.reads) },
    opsWrites: { rate: scaled(options.writes), limiters: make(scaled(options.writes)) },
    opsReads: { rate: scaled(options.reads), limiters: make(scaled(options.reads)) },
  };
  return async (c, next) => {
    const method = c.req.method;
    const write = _WRITES.has(method);
    const header = c.req.header("Authorization");
    if (
      header === undefined || (!write && method !== "GET" && method !== "HEAD") ||
      c.req.header("Upgrade")?.toLowerCase() === "websocket"
    ) return await next();
    const token = _BEARER.exec(header)?.[1];
    const verified = token === undefined ? undefined : await verifyToken(token, options.secret);
    if (!verified?.ok) return await next();
    const { role, sub } = verified.principal;
    const ops = role === "ops";
    const budget = write
      ? (ops ? budgets.opsWrites : budgets.writes)
      : (ops ? budgets.opsReads : budgets.reads);
    if (budget.limiters.take(`${role}:${sub}`) === "allowed") return await next();
    options.metrics?.limitRefusals.inc({ reason: "rate_limited" });
    const { perSec, burst } = budget.rate;
    return errorResponse(
      429,
      "rate_limited",
      `at most ${perSec} ${write ? "writes" : "reads"} a second per ${role} ` +
        `(bursts of ${burst}); retry later`,
      // A refused request found the bucket below one token: one is back within 1 / perSec s.
      { headers: { "Retry-After": String(Math.max(1, Math.ceil(1 / perSec))) } },
    );
  };
}
