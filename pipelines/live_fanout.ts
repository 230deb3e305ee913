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
import { decodeLocationRecord, type LocationRecord } from "../domain/location_record.ts";
import { TailerSlot } from "../infra/kafka/tailer_slot.ts";
import type { SocketEnv } from "../routes/socket_admission.ts";
import { viewerWsRoute } from "../routes/viewer_ws.ts";
import { ViewerSockets } from "../routes/viewer_sockets.ts";
import type { Core } from "./core.ts";
import { decodeAll } from "./decode_all.ts";
import { tailerVersion } from "./tailer_version.ts";
import { LOCATION_RECORD_VERSION } from "../infra/kafka/record_version.ts";
import type { Infrastructure } from "./infrastructure.ts";

/** The live fan-out, started. */
export interface LiveFanout {
  /** `GET /ws/orders/:orderId`, `GET /ws/restaurants/:restaurantId`. */
  readonly routes: Hono<SocketEnv>;
  /** Where order actors send what their viewers watch. */
  readonly router: ActorRef<LiveRouterMessage>;
  /** The newest fix of a driver this instance read live, if any. */
  latest(driverId: string): Promise<LocationRecord | undefined>;
  /** Stops the live tailer, then closes viewer sockets with 1001. */
  close(): Promise<void>;
}

/**
 * driver-locations → live tailer (only the partitions and drivers this instance's viewers need,
 * assigned directly) → RegionActor(partition): newest fix per driver → LiveRouter: the orders
 * watching the driver → OrderActor → ViewerActor → viewer socket. Order actors send the router
 * what they watch; the router tells the tailer what to read.
 */
export function startLiveFanout(config: Config, core: Core, infra: Infrastructure): LiveFanout {
  const { system, metrics } = core;
  // The live tailer is rebuilt after failures; the partitions it reads and the drivers it keeps
  // (only fixes of drivers that a watched order follows are decoded) outlive each build.
  const slot = new TailerSlot({
    kafka: infra.kafka,
    topic: config.LOCATIONS_TOPIC,
    clientId: `live-${config.INSTANCE_ID}`,
    ...tailerVersion(LOCATION_RECORD_VERSION, metrics, config.LOCATIONS_TOPIC),
    onRecords: (partition, values) => {
      const records = decodeAll(values, decodeLocationRecord, metrics, config.LOCATIONS_TOPIC);
      system.ref(REGION, String(partition)).tell({ type: "records", records });
    },
  }, { byKey: true });
  system.register(
    LIVE_ROUTER,
    liveRouterKind({
      read: (partitions) => slot.want(partitions),
      follow: (driverId, on) => slot.keepKey(driverId, on),
      orders: system.refs(ORDER),
    }),
  );
  const router = system.ref(LIVE_ROUTER, LIVE_ROUTER_ID);
  system.register(REGION, regionActorKind((record) => router.tell({ type: "fix", record })));
  const tailer = core.supervise("live-tailer", slot.open);
  const viewers = _viewers(config, core, infra);
  return {
    routes: viewers.routes,
    router,
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
    close: async () => {
      await tailer.close();
      viewers.sockets.closeAll(VIEWER_CLOSE_CODES.goingAway, "server shutting down");
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
