import { type Context, Hono } from "hono";
import { errorResponse } from "./api_error.ts";
import type { DeviceKeys } from "./device_keys.ts";
import { parseOsmand } from "./osmand_parse.ts";
import type { PhoneLinks, PhoneOutcome } from "./phone_links.ts";
import { PrincipalLimiters } from "./principal_limiters.ts";
import type { RateLimiterOptions } from "./rate_limiter.ts";
import type { Metrics } from "../infra/metrics.ts";

/** What hono's `c.env` holds for a plain request served by `serveNodeHttp`. */
export type PeerEnv = { Bindings: { readonly remoteAddress?: string | undefined } };

/** Requests a second, and at once. */
type Rate = Pick<RateLimiterOptions, "perSec" | "burst">;

/** What the OsmAnd endpoint needs. */
export interface OsmandHttpDeps {
  readonly keys: DeviceKeys;
  readonly links: Pick<PhoneLinks, "submit">;
  /** Requests per device (its driver), as a driver's socket frames (`SOCKET_RATE_*`). */
  readonly perDevice: Rate;
  /** Key look-ups that reach the database, per source address. @default {10/s, bursts of 50} */
  readonly perAddress?: Rate | undefined;
  /** True while the instance drains: answer 503 so the app sends again elsewhere. */
  readonly draining?: () => boolean;
  readonly metrics?: Pick<Metrics, "limitRefusals"> | undefined;
  /** Time source in milliseconds. @default performance.now() */
  readonly clock?: { now(): number } | undefined;
}

/** Seconds an app is told to wait after a 503 or 429. */
const _RETRY_AFTER_S = 5;

/**
 * The handler of the OsmAnd protocol (Traccar Client, OsmAnd, GPSLogger; docs/phones.md): any
 * method; reads the device key and fixes ({@linkcode parseOsmand}), finds the key's driver, and
 * hands the fixes to the driver's actor. 200 once Kafka has every fix, or the filters refused it
 * for good (so a bad fix never blocks the app's queue); 503 while Kafka does not take them (the
 * app keeps them and sends again); 400 for a request it cannot read; 404 for an unknown or
 * revoked key; 429 past the per-device or per-address rate.
 */
export function osmandHandler(deps: OsmandHttpDeps): (c: Context<PeerEnv>) => Promise<Response> {
  const clock = deps.clock;
  const devices = new PrincipalLimiters({ rate: deps.perDevice, clock });
  const addresses = new PrincipalLimiters({ rate: deps.perAddress ?? _PER_ADDRESS, clock });
  return async (c) => {
    if (deps.draining?.()) {
      return errorResponse(503, "shutting_down", "the server is shutting down; send again", {
        headers: { "Retry-After": String(_RETRY_AFTER_S) },
      });
    }
    const request = parseOsmand({
      query: new URL(c.req.url).searchParams,
      contentType: c.req.header("Content-Type") ?? "",
      body: c.req.method === "GET" || c.req.method === "HEAD" ? "" : await c.req.text(),
    });
    if (!("key" in request)) {
      return errorResponse(400, "invalid_request", request.message, { field: request.field });
    }
    const address = c.env?.remoteAddress ?? "unknown";
    const answer = await deps.keys.driverOf(
      request.key,
      () => addresses.take(address) === "allowed",
    );
    if (answer.kind === "limited") return _limited(deps, "key look-ups from this address");
    if (answer.kind === "unknown") {
      return errorResponse(404, "device_not_found", "no device has this id (unknown or revoked)", {
        field: "id",
      });
    }
    if (devices.take(answer.driverId) !== "allowed") return _limited(deps, "requests per device");
    return _answer(await deps.links.submit(answer.driverId, request.fixes));
  };
}

const _PER_ADDRESS: Rate = { perSec: 10, burst: 50 };

/** `/osmand` on the service's port: GET and POST as the apps send, and any other method. */
export function osmandRoute(deps: OsmandHttpDeps): Hono<PeerEnv> {
  const handler = osmandHandler(deps);
  return new Hono<PeerEnv>().on(["GET", "POST"], "/osmand", handler).all("/osmand", handler);
}

function _answer(outcome: PhoneOutcome): Response {
  if (outcome.kind === "stored") {
    const headers: Record<string, string> = {};
    if (outcome.refused.length > 0) headers["X-Fixes-Refused"] = outcome.refused.join(",");
    return new Response(null, { status: 200, headers });
  }
  if (outcome.kind === "invalid") return errorResponse(400, "invalid_request", outcome.message);
  return errorResponse(503, "unavailable", `${outcome.message}; send again later`, {
    headers: { "Retry-After": String(_RETRY_AFTER_S) },
  });
}

function _limited(deps: OsmandHttpDeps, what: string): Response {
  deps.metrics?.limitRefusals.inc({ reason: "rate_limited" });
  return errorResponse(429, "rate_limited", `too many ${what}; send again later`, {
    headers: { "Retry-After": String(_RETRY_AFTER_S) },
  });
}
