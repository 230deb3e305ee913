import type { ErrorCode } from "./error_codes.ts";
import type { Order, OrderStatus } from "./order.ts";

/** What someone asks of an order: ops assigns or cancels, the driver reports pickup and delivery. */
export type OrderCommand =
  | { type: "assign"; driverId: string }
  | { type: "picked_up"; driverId: string }
  | { type: "delivered"; driverId: string }
  | { type: "cancel" };

/**
 * A conditional status change, as a conditional UPDATE needs it (`OrderStore.transition`):
 * `SET status = to [, driver_id = assignDriver] WHERE status = ANY(from)
 * [AND driver_id = requireDriver]`. Zero rows updated means the order changed in between: read
 * it again and re-plan.
 */
export interface OrderTransition {
  /** The statuses the order may be in; any other status leaves it unchanged. */
  readonly from: readonly OrderStatus[];
  /** The new status. */
  readonly to: OrderStatus;
  /** Sets the order's driver to this id. */
  readonly assignDriver?: string;
  /** Changes the order only if its driver is still this id. */
  readonly requireDriver?: string;
}

/** An allowed transition: the {@linkcode OrderTransition} to apply. */
export interface PlannedTransition extends OrderTransition {
  readonly ok: true;
}

/** A refused command; `message` says which status the order is in. */
export interface RefusedTransition {
  readonly ok: false;
  readonly code: Extract<ErrorCode, "invalid_transition" | "not_your_order">;
  readonly message: string;
}

/** What {@linkcode planTransition} returns. */
export type TransitionPlan = PlannedTransition | RefusedTransition;

/** The lifecycle's table: which statuses each command starts from, and where it leads. */
export const ORDER_TRANSITIONS = {
  assign: { from: ["created", "assigned"], to: "assigned" },
  picked_up: { from: ["assigned"], to: "picked_up" },
  delivered: { from: ["picked_up"], to: "delivered" },
  cancel: { from: ["created", "assigned"], to: "cancelled" },
} as const satisfies Record<OrderCommand["type"], { from: OrderStatus[]; to: OrderStatus }>;

/**
 * Decides whether `command` may change `order`: created → assigned → picked_up → delivered,
 * or cancelled before pickup.
 * - `assign` from created, or from assigned (re-assignment before pickup, e.g. the first
 *   driver did not show; assigning the same driver again is an idempotent no-op).
 * - `picked_up` from assigned, `delivered` from picked_up, each only by the assigned driver;
 *   a driver event for an order not assigned to that driver is `not_your_order`.
 * - `cancel` from created or assigned.
 */
export function planTransition(
  order: Order,
  command: OrderCommand,
): TransitionPlan {
  const rule = ORDER_TRANSITIONS[command.type];
  if (command.type === "picked_up" || command.type === "delivered") {
    if (order.driverId !== command.driverId) {
      return {
        ok: false,
        code: "not_your_order",
        message: `order ${order.id} is not assigned to driver ${command.driverId}`,
      };
    }
  }
  if (!(rule.from as readonly OrderStatus[]).includes(order.status)) {
    return {
      ok: false,
      code: "invalid_transition",
      message: `order ${order.id} is ${order.status}; ${command.type} needs it ${
        rule.from.join(" or ")
      }`,
    };
  }
  const planned = { ok: true, from: rule.from, to: rule.to } as const;
  switch (command.type) {
    case "assign":
      return { ...planned, assignDriver: command.driverId };
    case "picked_up":
    case "delivered":
      return { ...planned, requireDriver: command.driverId };
    case "cancel":
      return planned;
  }
}

/** Whether nothing more will happen to an order in this status (delivered or cancelled). */
export function isFinished(status: OrderStatus): boolean {
  return status === "delivered" || status === "cancelled";
}
