import type { Principal } from "./auth.ts";
import { permissions } from "./permissions.ts";
import type { Order } from "../domain/order.ts";

/**
 * Who may see an order: ops, its customer, its restaurant and its assigned driver. Throws 404 for
 * an unknown order and 403 for anyone else. Kept for callers; the rule is
 * {@linkcode permissions.seeOrder}.
 */
export function assertMaySee(principal: Principal, order: Order | undefined, id: string): Order {
  return permissions.seeOrder(principal, order, id);
}
