import { Hono } from "hono";
import { DRIVER } from "../actors/driver_actor.ts";
import type { Config } from "../infra/config.ts";
import type { NodeHttpServer } from "../infra/http/node_http_server.ts";
import { PostgresDeviceStore } from "../infra/postgres/device_store.ts";
import { accessLog } from "../routes/access_log.ts";
import { bodyLimit } from "../routes/body_limit.ts";
import { DeviceKeys } from "../routes/device_keys.ts";
import { devicesHttpRoute } from "../routes/devices_http.ts";
import { handleApiErrors } from "../routes/error_handling.ts";
import { osmandHandler, type OsmandHttpDeps, osmandRoute } from "../routes/osmand_http.ts";
import { PhoneLinks } from "../routes/phone_links.ts";
import type { Core } from "./core.ts";
import { serveHttp } from "./http_app.ts";
import type { Infrastructure } from "./infrastructure.ts";

/** Phones as drivers, started. */
export interface PhoneIngest {
  /** `ALL /osmand` and `/drivers/:id/devices`, for the service's port. */
  readonly routes: Hono;
  /** Serves the OsmAnd protocol at any path on `OSMAND_PORT`, when it is set; its port. */
  listen(): Promise<number | undefined>;
  /** Stops the `OSMAND_PORT` server (its requests in flight are answered first). */
  close(): Promise<void>;
}

/**
 * phone app (OsmAnd protocol over HTTP, a device key) → the key's driver → the same DriverActor
 * as the driver socket (validate, filter, seq, region, Kafka) → 200 once Kafka has the fixes.
 * Ops register, list and revoke device keys. Start it after the driver ingest.
 */
export function startPhoneIngest(config: Config, core: Core, infra: Infrastructure): PhoneIngest {
  const store = new PostgresDeviceStore(infra.sql);
  const keys = new DeviceKeys({ lookup: (hash) => store.driverOfKey(hash) });
  const deps: OsmandHttpDeps = {
    keys,
    links: new PhoneLinks({ driver: (id) => core.system.ref(DRIVER, id) }),
    perDevice: { perSec: config.SOCKET_RATE_PER_SEC, burst: config.SOCKET_RATE_BURST },
    draining: () => core.stopping.aborted,
    metrics: core.metrics,
  };
  const routes = new Hono();
  routes.route("/", osmandRoute(deps));
  routes.route(
    "/",
    devicesHttpRoute({
      secret: config.JWT_SECRET,
      store,
      revoked: (driverId) => keys.forgetDriver(driverId),
    }),
  );
  let server: NodeHttpServer | undefined;
  return {
    routes,
    listen: async () => {
      if (config.OSMAND_PORT === undefined) return undefined;
      server = await serveHttp(config, core, _portApp(config, core, deps), {
        port: config.OSMAND_PORT,
        maxConnections: Math.max(1, Math.floor(core.caps.maxConnections / 10)),
      });
      return server.port;
    },
    close: async () => await server?.shutdown(),
  };
}

/** The `OSMAND_PORT` app: the access log (paths only), the body limit, the handler at any path. */
function _portApp(config: Config, core: Core, deps: OsmandHttpDeps): Hono {
  const app = new Hono();
  app.use("*", accessLog(), bodyLimit(config.MAX_BODY_BYTES, { metrics: core.metrics }));
  app.all("*", osmandHandler(deps));
  handleApiErrors(app);
  return app;
}
