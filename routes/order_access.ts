import type { Principal } from "./auth.ts";
import { permissions } from "./permissions.ts";
import type { Order } from "../domain/order.ts";
import type { ShareStore } from "../domain/order_share.ts";

/**
 * Who may see an order: ops, its customer, its restaurant and its assigned driver. Throws 404 for
 * an unknown order and 403 for anyone else. Kept for callers; the rule is
 * {@linkcode permissions.seeOrder}.
 */
export function assertMaySee(principal: Principal, order: Order | undefined, id: string): Order {
  return permissions.seeOrder(principal, order, id);
}

/** What {@linkcode viewableOrder} reads. */
export interface OrderViewAccess {
  /** The order, from the store. */
  readonly order: (id: string) => Promise<Order | undefined>;
  /** Share links; without it, every share token is refused (401 `share_revoked`). */
  readonly shares?: Pick<ShareStore, "isActive"> | undefined;
}

/**
 * The order `id` for a read-only view (`GET /orders/:id`, its track, its socket), or the refusal
 * of {@linkcode permissions.viewOrder}: a share token's link is looked up only when it names this
 * order.
 */
export async function viewableOrder(
  principal: Principal,
  id: string,
  access: OrderViewAccess,
): Promise<Order> {
  const order = await access.order(id);
  const { role, sub, shareId } = principal;
  const active = role === "share" && sub === id && shareId !== undefined && access.shares
    ? await access.shares.isActive(shareId, id)
    : undefined;
  return permissions.viewOrder(principal, order, id, active);
}
