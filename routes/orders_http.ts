import { Hono } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import { errorResponse } from "./api_error.ts";
import { authenticate, type AuthEnv, REST_AUTH, ROLES } from "./auth.ts";
import { readJsonBody } from "./json_body.ts";
import { pathIds } from "./path_ids.ts";
import { permissions } from "./permissions.ts";
import { idSchema } from "../domain/ids.ts";
import { newOrderSchema } from "../domain/order.ts";
import { orderNotificationSchema } from "../domain/order_notification.ts";
import { ORDER, type OrderMessage, type OrderOutcome } from "../actors/order_actor.ts";
import type { OrderCommand } from "../domain/order_lifecycle.ts";
import type { ActorRef, ActorSystem } from "../actors/runtime/mod.ts";
import type { OrderStore } from "../domain/order_store.ts";
import type { ShareStore } from "../domain/order_share.ts";
import { viewableOrder } from "./order_access.ts";

/** What the order HTTP routes need. */
export interface OrdersHttpDeps {
  readonly system: ActorSystem;
  readonly secret: string;
  readonly store: Pick<OrderStore, "get" | "notifications">;
  /** Share links: `GET /orders/:id` takes a share token of that order while it is active. */
  readonly shares?: Pick<ShareStore, "isActive">;
}

/** Body of `POST /orders/:id/assign`. */
export const assignOrderSchema = z.object({ driverId: idSchema });

/** The answer of `GET /orders/:id/notifications`, oldest first. */
export const orderNotificationsSchema = z.object({
  orderId: z.string(),
  notifications: z.array(orderNotificationSchema),
});

/**
 * `POST /orders` (restaurant for itself, or ops), `POST /orders/:id/assign` (ops),
 * `POST /orders/:id/cancel` (its restaurant, or ops), `GET /orders/:id` and
 * `GET /orders/:id/notifications` (its customer, restaurant, assigned driver, or ops; `GET
 * /orders/:id` also a share link of that order).
 * Who may do what is decided in `permissions.ts`; changes go to the order's actor, which
 * enforces the lifecycle.
 */
export function ordersHttpRoute(deps: OrdersHttpDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  app.use("/orders", authenticate(deps.secret, ROLES, REST_AUTH));
  app.use("/orders/*", pathIds(), authenticate(deps.secret, ROLES, REST_AUTH));
  const order = (id: string) => deps.system.ref(ORDER, id);

  app.post("/orders", async (c) => {
    const principal = c.get("principal");
    permissions.createsOrders(principal);
    const input = await readJsonBody(c, newOrderSchema);
    permissions.createOrder(principal, input.restaurantId);
    const outcome = await order(crypto.randomUUID())
      .ask<OrderOutcome>((replyTo) => ({ type: "create", input, replyTo }));
    return _answer(outcome, 201);
  });

  app.post("/orders/:id/assign", async (c) => {
    permissions.assignDriver(c.get("principal"));
    const body = await readJsonBody(c, assignOrderSchema);
    return _answer(await _command(order(c.req.param("id")), { type: "assign", ...body }));
  });

  app.post("/orders/:id/cancel", async (c) => {
    const id = c.req.param("id");
    const principal = c.get("principal");
    const known = permissions.seeOrder(principal, await deps.store.get(id), id);
    permissions.cancelOrder(principal);
    return _answer(await _command(order(known.id), { type: "cancel" }));
  });

  app.get("/orders/:id", async (c) => {
    const access = { order: (id: string) => deps.store.get(id), shares: deps.shares };
    return c.json(await viewableOrder(c.get("principal"), c.req.param("id"), access));
  });

  app.get("/orders/:id/notifications", async (c) => {
    const id = c.req.param("id");
    permissions.seeOrder(c.get("principal"), await deps.store.get(id), id);
    const answer: z.infer<typeof orderNotificationsSchema> = {
      orderId: id,
      notifications: await deps.store.notifications(id),
    };
    return c.json(answer);
  });
  return app;
}

function _command(ref: ActorRef<OrderMessage>, command: OrderCommand): Promise<OrderOutcome> {
  return ref.ask<OrderOutcome>((replyTo) => ({ type: "command", command, replyTo }));
}

const _STATUS: Record<string, ContentfulStatusCode> = {
  order_not_found: 404,
  not_your_order: 403,
  invalid_transition: 409,
};

function _answer(outcome: OrderOutcome, status: ContentfulStatusCode = 200): Response {
  if (outcome.ok) return Response.json(outcome.order, { status });
  return errorResponse(_STATUS[outcome.code] ?? 400, outcome.code, outcome.message);
}
