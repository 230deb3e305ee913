import type { ActorSystem } from "./runtime/mod.ts";
import { ORDER } from "./order_actor.ts";
import type { Order } from "../domain/order.ts";
import { RESTAURANT } from "./restaurant_actor.ts";
import { type OrderEvent, orderEventKey } from "../domain/order_event.ts";

/**
 * Hands an order-events record to the actors of this instance that care: the order's actor and
 * the restaurant's, if they are active here (nobody else is woken); `onOrder` is told of every
 * order change.
 */
export function dispatchOrderEvent(
  system: ActorSystem,
  event: OrderEvent,
  onOrder?: (order: Order) => void,
): void {
  if (event.type === "order") onOrder?.(event.order);
  const orderId = orderEventKey(event);
  if (system.has(ORDER, orderId)) {
    system.ref(ORDER, orderId).tell({ type: "event", event });
  }
  if (event.type === "order" && system.has(RESTAURANT, event.order.restaurantId)) {
    system.ref(RESTAURANT, event.order.restaurantId)
      .tell({ type: "order", order: event.order });
  }
}
