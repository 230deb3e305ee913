import type { Hono } from "hono";
import {
  LIVE_ROUTER,
  LIVE_ROUTER_ID,
  liveRouterKind,
  type LiveRouterMessage,
} from "../actors/live_router.ts";
import { REGION, regionActorKind } from "../actors/region_actor.ts";
import { VIEWER, viewerActorKind } from "../actors/viewer_actor.ts";
import { ORDER } from "../actors/order_actor.ts";
import { VIEWER_CLOSE_CODES } from "../domain/close_codes.ts";
import type { ActorRef } from "../actors/runtime/mod.ts";
import type { Config } from "../infra/config.ts";
import type { LocationRecord } from "../domain/location_record.ts";
import type { SocketEnv } from "../routes/socket_admission.ts";
import { viewerWsRoute } from "../routes/viewer_ws.ts";
import { ViewerSockets } from "../routes/viewer_sockets.ts";
import type { Core } from "./core.ts";
import type { Infrastructure } from "./infrastructure.ts";

/** The live fan-out, started. */
export interface LiveFanout {
  /** `GET /ws/orders/:orderId`, `GET /ws/restaurants/:restaurantId`. */
  readonly routes: Hono<SocketEnv>;
  /** Where order actors send what their viewers watch. */
  readonly router: ActorRef<LiveRouterMessage>;
  /**
   * A batch of one partition's fixes, as the instance's location tailer read them (every partition,
   * for the fleet index): the fixes of drivers a watched order follows go on to the region actor.
   */
  fixes(partition: number, fixes: readonly LocationRecord[]): void;
  /** The newest fix of a driver this instance read live, if any. */
  latest(driverId: string): Promise<LocationRecord | undefined>;
  /** Closes viewer sockets with 1001. */
  close(): Promise<void>;
}

/**
 * driver-locations → the instance's location tailer (pipelines/fleet_feed.ts: every partition,
 * decoded once for the fleet index and for this) → only the fixes of drivers a watched order
 * follows → RegionActor(partition): newest fix per driver → LiveRouter: the orders watching the
 * driver → OrderActor → ViewerActor → viewer socket. Order actors send the router what they watch;
 * the router says which drivers to follow.
 */
export function startLiveFanout(config: Config, core: Core, infra: Infrastructure): LiveFanout {
  const { system } = core;
  // Read from the fleet's tailer, which reads every partition: which partitions the watched orders
  // need no longer matters (the router's `read`), only which drivers they follow.
  const followed = new Set<string>();
  system.register(
    LIVE_ROUTER,
    liveRouterKind({
      read: () => {},
      follow: (driverId, on) => on ? followed.add(driverId) : followed.delete(driverId),
      orders: system.refs(ORDER),
    }),
  );
  const router = system.ref(LIVE_ROUTER, LIVE_ROUTER_ID);
  system.register(REGION, regionActorKind((record) => router.tell({ type: "fix", record })));
  const viewers = _viewers(config, core, infra);
  return {
    routes: viewers.routes,
    router,
    fixes: (partition, fixes) => {
      if (followed.size === 0) return;
      const records = fixes.filter((f) => followed.has(f.driverId));
      if (records.length > 0) {
        system.ref(REGION, String(partition)).tell({ type: "records", records });
      }
    },
    latest: async (driverId) => {
      // Only region actors that exist have seen anything; asking the others would create them.
      const regionIds = Array.from({ length: infra.regions.partitionCount }, (_, p) => String(p))
        .filter((id) => system.has(REGION, id));
      const seen = await Promise.all(regionIds.map((id) =>
        system.ref(REGION, id)
          .ask<LocationRecord | undefined>((replyTo) => ({ type: "latest", driverId, replyTo }))
      ));
      return seen.filter((r) => r !== undefined).sort((a, b) => b.ts - a.ts)[0];
    },
    close: () => {
      viewers.sockets.closeAll(VIEWER_CLOSE_CODES.goingAway, "server shutting down");
      return Promise.resolve();
    },
  };
}

/** The viewer end: ViewerActor (one per socket) and the viewer socket routes. */
function _viewers(config: Config, core: Core, infra: Infrastructure) {
  const { system, metrics } = core;
  const sockets = new ViewerSockets({
    system,
    metrics,
    rate: { perSec: config.SOCKET_RATE_PER_SEC, burst: config.SOCKET_RATE_BURST },
  });
  system.register(
    VIEWER,
    viewerActorKind({
      socketFor: sockets.socketFor,
      maxBufferedBytes: config.VIEWER_BUFFER_BYTES,
      slowMs: config.VIEWER_SLOW_MS,
    }),
  );
  const routes = viewerWsRoute({
    system,
    secret: config.JWT_SECRET,
    store: infra.orders,
    shares: infra.shares,
    sockets,
    registry: core.sockets,
    metrics,
    allowedOrigins: config.ALLOWED_ORIGINS,
  });
  return { sockets, routes };
}
