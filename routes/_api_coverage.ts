import { emptyDriversRoute } from "./_route_testing.ts";
import { Hono } from "hono";
import { apiDocsHttpRoute } from "./api_docs_http.ts";
import { devicesHttpRoute } from "./devices_http.ts";
import { DeviceKeys } from "./device_keys.ts";
import { osmandRoute } from "./osmand_http.ts";
import { driverWsRoute } from "./driver_ws.ts";
import { fleetWsRoute } from "./fleet_ws.ts";
import { healthHttpRoute } from "./health_http.ts";
import { openApiPath } from "./openapi.ts";
import { UNDOCUMENTED_ROUTES } from "./openapi_operations.ts";
import { ordersHttpRoute } from "./orders_http.ts";
import { nearbyHttpRoute } from "./nearby_http.ts";
import { orderShareHttpRoute } from "./order_share_http.ts";
import { orderTrackHttpRoute } from "./order_track_http.ts";
import { zonesHttpRoute } from "./zones_http.ts";
import type { ZoneStore } from "../domain/zone_store.ts";
import { pagesHttpRoute } from "./pages_http.ts";
import { SocketRegistry } from "./socket_registry.ts";
import { viewerWsRoute } from "./viewer_ws.ts";
import { ViewerSockets } from "./viewer_sockets.ts";
import { ActorSystem } from "../actors/runtime/mod.ts";
import type { FleetFeed } from "../actors/fleet_protocol.ts";

const _METHODS = new Set(["GET", "POST", "PUT", "PATCH", "DELETE"]);
/** The JWT secret the stub app of {@linkcode stubServiceApp} verifies tokens with. */
export const STUB_SECRET = "api-coverage-secret-0123456789abcdef";
const _SECRET = STUB_SECRET;

/** What {@linkcode apiCoverage} found wrong; empty lists mean the documents cover the app. */
export interface ApiCoverage {
  /** `METHOD /path` routes of the app in neither document nor the exclusions. */
  readonly undocumented: string[];
  /** Operations, channels and exclusions (`METHOD /path`) the app does not serve. */
  readonly stale: string[];
}

/**
 * Holds the app's routes (hono's `app.routes`; middleware, registered as `ALL`, is skipped) to
 * the documents: a `GET /ws/*` route must be an AsyncAPI socket channel's address, any other route an
 * OpenAPI operation or one of `UNDOCUMENTED_ROUTES`; and every operation and channel must be
 * served.
 */
export function apiCoverage(
  routes: readonly { method: string; path: string }[],
  openApi: Record<string, unknown>,
  asyncApi: Record<string, unknown>,
): ApiCoverage {
  const served = new Set(
    routes.filter((r) => _METHODS.has(r.method)).map((r) => `${r.method} ${r.path}`),
  );
  const operations = new Set<string>();
  for (const [path, item] of Object.entries(openApi.paths as Record<string, object>)) {
    for (const method of Object.keys(item)) operations.add(`${method.toUpperCase()} ${path}`);
  }
  // The socket channels (WebSocket binding); the Kafka topics are not routes.
  const channels = new Set(
    Object.values(asyncApi.channels as Record<string, { address: string; bindings?: object }>)
      .filter((c) => c.bindings && "ws" in c.bindings).map((c) => `GET ${c.address}`),
  );
  const undocumented: string[] = [];
  for (const route of served) {
    const [method, path] = route.split(" ") as [string, string];
    const documented = path.startsWith("/ws/")
      ? channels.has(`GET ${openApiPath(path)}`)
      : operations.has(`${method} ${openApiPath(path)}`) || route in UNDOCUMENTED_ROUTES;
    if (!documented) undocumented.push(route);
  }
  const servedAs = new Set([...served].map((r) => openApiPath(r)));
  const stale = [...operations, ...channels].filter((r) => !servedAs.has(r))
    .concat(Object.keys(UNDOCUMENTED_ROUTES).filter((r) => !served.has(r)));
  return { undocumented, stale };
}

/**
 * Every route factory the service mounts, built with stub dependencies (nothing is called while
 * routes are registered) and the dev secret, so the dev-only route is there too.
 */
export function stubServiceApp(): { app: Hono; [Symbol.asyncDispose]: () => Promise<void> } {
  const system = new ActorSystem();
  const app = new Hono();
  _mountStubSockets(app, system);
  _mountStubHttp(app, system);
  return { app, [Symbol.asyncDispose]: () => system.shutdown() };
}

const _RATE = { perSec: 1, burst: 1 };
const _nothing = () => Promise.resolve(undefined);
const _orderStore = { get: _nothing, notifications: () => Promise.resolve([]) };

/** The socket routes, `/ws/driver`, `/ws/orders/*`, `/ws/restaurants/*`, `/ws/fleet`, on stubs. */
function _mountStubSockets(app: Hono, system: ActorSystem): void {
  const registry = new SocketRegistry({ maxSockets: 10, maxPerPrincipal: 2, rate: _RATE });
  const rate = _RATE;
  app.route(
    "/",
    driverWsRoute({ system, secret: _SECRET, open: new Set(), allowedOrigins: [], rate, registry }),
  );
  app.route(
    "/",
    viewerWsRoute({
      system,
      secret: _SECRET,
      store: _orderStore,
      sockets: new ViewerSockets({ system, rate }),
      registry,
      allowedOrigins: [],
    }),
  );
  app.route(
    "/",
    fleetWsRoute({
      secret: _SECRET,
      feed: {} as FleetFeed,
      allowedOrigins: [],
      rate,
      registry,
      latestPosition: _nothing,
      activeOrders: () => Promise.resolve([]),
    }),
  );
}

/** The HTTP routes: drivers, orders, order tracks, pages, health, API documents, on stubs. */
function _mountStubHttp(app: Hono, system: ActorSystem): void {
  app.route(
    "/",
    emptyDriversRoute(_SECRET),
  );
  app.route(
    "/",
    nearbyHttpRoute({ secret: _SECRET, nearby: () => Promise.resolve([]), maxAgeMs: 1 }),
  );
  const shares = {
    create: _nothing,
    isActive: () => Promise.resolve(false),
    revoke: () => Promise.resolve(0),
  };
  app.route("/", orderShareHttpRoute({ secret: _SECRET, order: _nothing, shares }));
  app.route("/", ordersHttpRoute({ system, secret: _SECRET, store: _orderStore }));
  const events = { recent: () => Promise.resolve([]) };
  app.route("/", zonesHttpRoute({ secret: _SECRET, store: {} as ZoneStore, events }));
  const devices = {
    add: () => Promise.reject(new Error("stub")),
    list: () => Promise.resolve([]),
    revoke: () => Promise.resolve(false),
    driverOfKey: _nothing,
  };
  app.route("/", devicesHttpRoute({ secret: _SECRET, store: devices }));
  app.route(
    "/",
    osmandRoute({
      keys: new DeviceKeys({ lookup: _nothing }),
      links: { submit: () => Promise.resolve({ kind: "stored", refused: [] }) },
      perDevice: _RATE,
    }),
  );
  app.route(
    "/",
    orderTrackHttpRoute({
      secret: _SECRET,
      order: _nothing,
      orderTimes: _nothing,
      store: { history: () => Promise.resolve([]) },
    }),
  );
  app.route(
    "/",
    pagesHttpRoute({
      secret: _SECRET,
      devSecret: _SECRET,
      tilesUrl: "none",
      tilesAttribution: "",
      regions: [],
    }),
  );
  app.route(
    "/",
    healthHttpRoute({ checks: {}, metrics: () => Promise.resolve(""), draining: () => false }),
  );
  app.route("/", apiDocsHttpRoute({ dev: true }));
}
