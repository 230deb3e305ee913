import { apiError } from "./api_error.ts";
import type { Principal } from "./auth.ts";
import type { Order } from "../domain/order.ts";

/**
 * Who may do what, for every route: each function returns when the caller may, and throws
 * 403 `forbidden` (or 404 `order_not_found`) when not. The routes call these and nothing else
 * decides a role.
 */
export const permissions = {
  /** Location and history of a driver: the driver itself, or ops. */
  readDriver(principal: Principal, driverId: string): void {
    if (principal.role === "ops") return;
    if (principal.role === "driver" && principal.sub === driverId) return;
    if (principal.role === "driver") throw _forbidden("a driver reads only its own location");
    throw _forbidden(
      `a ${principal.role} may not read a driver's location (that driver and ops may)`,
    );
  },

  /** Registering, listing and revoking a driver's phones (`/drivers/:id/devices`): ops only. */
  manageDevices(principal: Principal): void {
    if (principal.role !== "ops") throw _forbidden("only ops manage devices");
  },

  /** `POST /orders`: a restaurant for itself, or ops. */
  createOrder(principal: Principal, restaurantId: string): void {
    if (principal.role === "ops") return;
    if (principal.role !== "restaurant") throw _forbidden("only restaurants and ops create orders");
    if (principal.sub !== restaurantId) {
      throw _forbidden("a restaurant creates orders only for itself");
    }
  },

  /** May this caller create orders at all (checked before the body is read)? */
  createsOrders(principal: Principal): void {
    if (principal.role !== "restaurant" && principal.role !== "ops") {
      throw _forbidden("only restaurants and ops create orders");
    }
  },

  /** `POST /orders/:id/assign`: ops only. */
  assignDriver(principal: Principal): void {
    if (principal.role !== "ops") throw _forbidden("only ops assign drivers");
  },

  /**
   * Seeing an order (REST and its socket): ops, its customer, its restaurant, its assigned
   * driver. An unknown order is 404.
   */
  seeOrder(principal: Principal, order: Order | undefined, id: string): Order {
    if (!order) throw apiError(404, "order_not_found", `no order ${id}`);
    const { role, sub } = principal;
    const allowed = role === "ops" ||
      (role === "customer" && order.customerId === sub) ||
      (role === "restaurant" && order.restaurantId === sub) ||
      (role === "driver" && order.driverId === sub);
    if (!allowed) throw _forbidden(`you may not see order ${id}`);
    return order;
  },

  /**
   * Reading an order read-only (`GET /orders/:id`, `GET /orders/:id/track`, its socket): whoever
   * {@linkcode permissions.seeOrder} lets in, and a share link for this order (`sub`) while the
   * link is active (`shareActive`: stored and not revoked, 401 `share_revoked`) and the order is
   * neither delivered nor cancelled (410 `share_ended`).
   */
  viewOrder(principal: Principal, order: Order | undefined, id: string, shareActive?: boolean) {
    if (principal.role !== "share") return permissions.seeOrder(principal, order, id);
    if (principal.sub !== id) throw _forbidden("a share link opens its own order only");
    if (!order) throw apiError(404, "order_not_found", `no order ${id}`);
    if (shareActive !== true) throw apiError(401, "share_revoked", "this share link was revoked");
    if (order.status === "delivered" || order.status === "cancelled") {
      throw apiError(410, "share_ended", `order ${id} is ${order.status}: its share links ended`);
    }
    return order;
  },

  /**
   * `POST /orders/:id/share` and `DELETE /orders/:id/share[/:shareId]`: the order's customer, or
   * ops (after {@linkcode permissions.seeOrder}).
   */
  shareOrder(principal: Principal, order: Order): void {
    if (principal.role === "ops") return;
    if (principal.role === "customer" && order.customerId === principal.sub) return;
    throw _forbidden("only the order's customer or ops share it");
  },

  /** `GET /drivers/nearby`: ops and dispatchers. */
  findDrivers(principal: Principal): void {
    if (principal.role !== "ops" && principal.role !== "dispatcher") {
      throw _forbidden("only ops and dispatchers search for drivers");
    }
  },

  /** `POST /zones`, `DELETE /zones/:id`: ops only. */
  manageZones(principal: Principal): void {
    if (principal.role !== "ops") throw _forbidden("only ops create and delete zones");
  },

  /** `GET /zones`, `GET /zones/:id`, `GET /zones/events`: ops and dispatchers. */
  readZones(principal: Principal): void {
    if (principal.role !== "ops" && principal.role !== "dispatcher") {
      throw _forbidden("only ops and dispatchers read zones");
    }
  },

  /** `POST /orders/:id/cancel`: its restaurant, or ops (after {@linkcode permissions.seeOrder}). */
  cancelOrder(principal: Principal): void {
    if (principal.role !== "ops" && principal.role !== "restaurant") {
      throw _forbidden("only the restaurant or ops cancel an order");
    }
  },

  /** `GET /ws/restaurants/:id`: that restaurant, or ops. */
  watchRestaurant(principal: Principal, restaurantId: string): void {
    if (principal.role === "ops") return;
    if (principal.role === "restaurant" && principal.sub === restaurantId) return;
    throw _forbidden("you may only watch your own restaurant");
  },
} as const;

function _forbidden(message: string) {
  return apiError(403, "forbidden", message);
}
