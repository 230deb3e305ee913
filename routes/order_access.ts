import { HTTPException } from "hono/http-exception";
import type { Principal } from "./auth.ts";
import type { Order } from "../actors/order_protocol.ts";

/**
 * Who may see an order: ops, its customer, its restaurant and its assigned driver. Throws 404 for
 * an unknown order and 403 for anyone else.
 */
export function assertMaySee(principal: Principal, order: Order | undefined, id: string): Order {
  if (!order) throw new HTTPException(404, { message: `no order ${id}` });
  const { role, sub } = principal;
  const allowed = role === "ops" ||
    (role === "customer" && order.customerId === sub) ||
    (role === "restaurant" && order.restaurantId === sub) ||
    (role === "driver" && order.driverId === sub);
  if (!allowed) throw new HTTPException(403, { message: `you may not see order ${id}` });
  return order;
}
