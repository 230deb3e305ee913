import { Hono } from "hono";
import { authenticate } from "./auth.ts";
import { originGuard } from "./origin_guard.ts";
import { upgradeWebSocket } from "./ws_upgrade.ts";
import { viewableOrder } from "./order_access.ts";
import { permissions } from "./permissions.ts";
import type { ViewerSockets } from "./viewer_sockets.ts";
import { socketAdmission, type SocketEnv } from "./socket_admission.ts";
import type { SocketRegistry } from "./socket_registry.ts";
import type { Metrics } from "../infra/metrics.ts";
import { ORDER } from "../actors/order_actor.ts";
import { RESTAURANT } from "../actors/restaurant_actor.ts";
import type { ActorSystem } from "../actors/runtime/mod.ts";
import type { OrderStore } from "../domain/order_store.ts";
import type { ShareStore } from "../domain/order_share.ts";

/** What the viewer socket routes need. */
export interface ViewerWsDeps {
  readonly system: ActorSystem;
  readonly secret: string;
  readonly store: Pick<OrderStore, "get">;
  /** Share links: an order's socket takes a share token of that order while it is active. */
  readonly shares?: Pick<ShareStore, "isActive">;
  readonly sockets: ViewerSockets;
  /** Socket limits and per-principal rate limiters, shared with the driver route. */
  readonly registry: SocketRegistry;
  /** Counts refused sockets. */
  readonly metrics?: Metrics | undefined;
  /** Browser origins allowed to connect (`*` for all); requests without `Origin` always pass. */
  readonly allowedOrigins: readonly string[];
}

/**
 * `GET /ws/orders/:orderId` (the order's customer, ops, or an active share link of it) and `GET /ws/restaurants/:restaurantId`
 * (that restaurant, or ops). Permissions are checked before the upgrade, so a refused caller never
 * gets a socket. On open the connection is subscribed to its order, or to every active order of
 * its restaurant; the actors send a snapshot and then every change. Last before the upgrade,
 * the socket limits (`MAX_SOCKETS_PER_PRINCIPAL`, `MAX_SOCKETS_PER_OPS`, `MAX_SOCKETS`: 429, 503).
 */
export function viewerWsRoute(deps: ViewerWsDeps): Hono<SocketEnv> {
  const { system, sockets } = deps;
  const admission = socketAdmission(deps.registry, { metrics: deps.metrics });
  const app = new Hono<SocketEnv>();
  app.use("/ws/orders/*", originGuard(deps.allowedOrigins));
  app.use("/ws/restaurants/*", originGuard(deps.allowedOrigins));

  app.get(
    "/ws/orders/:orderId",
    authenticate(deps.secret, ["customer", "ops", "share"]),
    async (c, next) => {
      const access = { order: (id: string) => deps.store.get(id), shares: deps.shares };
      await viewableOrder(c.get("principal"), c.req.param("orderId"), access);
      await next();
    },
    admission,
    upgradeWebSocket((c) => {
      const order = system.ref(ORDER, c.req.param("orderId")!);
      return sockets.handlers(c.get("principal"), {
        route: "order",
        onOpen: (viewerId) => order.tell({ type: "watch", viewerId, closeOnFinish: true }),
        onClose: (viewerId) => order.tell({ type: "unwatch", viewerId }),
        lease: c.get("lease"),
      });
    }),
  );

  app.get(
    "/ws/restaurants/:restaurantId",
    authenticate(deps.secret, ["restaurant", "ops"]),
    async (c, next) => {
      permissions.watchRestaurant(c.get("principal"), c.req.param("restaurantId"));
      await next();
    },
    admission,
    upgradeWebSocket((c) => {
      const id = c.req.param("restaurantId")!;
      const restaurant = system.ref(RESTAURANT, id);
      return sockets.handlers(c.get("principal"), {
        route: "restaurant",
        onOpen: (viewerId) => restaurant.tell({ type: "watch", viewerId }),
        onClose: (viewerId) => restaurant.tell({ type: "unwatch", viewerId }),
        lease: c.get("lease"),
      });
    }),
  );
  return app;
}
