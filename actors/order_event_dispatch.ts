import type { ActorSystem } from "./runtime/mod.ts";
import type { OrderMessage } from "./order_actor.ts";
import type { Order } from "./order_protocol.ts";
import type { RestaurantMessage } from "./restaurant_actor.ts";
import { type OrderEvent, orderEventKey } from "../infra/kafka/order_event.ts";

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
  if (system.has("order", orderId)) {
    system.ref<OrderMessage>("order", orderId).tell({ type: "event", event });
  }
  if (event.type === "order" && system.has("restaurant", event.order.restaurantId)) {
    system.ref<RestaurantMessage>("restaurant", event.order.restaurantId)
      .tell({ type: "order", order: event.order });
  }
}
