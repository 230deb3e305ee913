import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "zod";
import { authenticate, type AuthEnv } from "./auth.ts";
import { assertMaySee } from "./order_access.ts";
import { newOrderSchema } from "../actors/order_protocol.ts";
import type { OrderMessage, OrderOutcome } from "../actors/order_actor.ts";
import type { OrderCommand } from "../actors/order_lifecycle.ts";
import type { ActorRef, ActorSystem } from "../actors/runtime/mod.ts";
import type { OrderStore } from "../infra/postgres/order_store.ts";

/** What the order HTTP routes need. */
export interface OrdersHttpDeps {
  readonly system: ActorSystem;
  readonly secret: string;
  readonly store: Pick<OrderStore, "get" | "notifications">;
}

const assignBody = z.object({ driverId: z.string().min(1).max(128) });

/**
 * `POST /orders` (restaurant for itself, or ops), `POST /orders/:id/assign` (ops),
 * `POST /orders/:id/cancel` (its restaurant, or ops), `GET /orders/:id` and
 * `GET /orders/:id/notifications` (its customer, restaurant, assigned driver, or ops).
 * Changes go to the order's actor, which enforces the lifecycle.
 */
export function ordersHttpRoute(deps: OrdersHttpDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  app.use("/orders", authenticate(deps.secret));
  app.use("/orders/*", authenticate(deps.secret));
  const order = (id: string) => deps.system.ref<OrderMessage>("order", id);

  app.post("/orders", async (c) => {
    const { role, sub } = c.get("principal");
    if (role !== "restaurant" && role !== "ops") {
      throw new HTTPException(403, { message: "only restaurants and ops create orders" });
    }
    const input = newOrderSchema.safeParse(await c.req.json().catch(() => undefined));
    if (!input.success) throw new HTTPException(400, { message: z.prettifyError(input.error) });
    if (role === "restaurant" && input.data.restaurantId !== sub) {
      throw new HTTPException(403, { message: "a restaurant creates orders only for itself" });
    }
    const outcome = await order(crypto.randomUUID())
      .ask<OrderOutcome>((replyTo) => ({ type: "create", input: input.data, replyTo }));
    return _answer(outcome, 201);
  });

  app.post("/orders/:id/assign", async (c) => {
    if (c.get("principal").role !== "ops") {
      throw new HTTPException(403, { message: "only ops assign drivers" });
    }
    const body = assignBody.safeParse(await c.req.json().catch(() => undefined));
    if (!body.success) throw new HTTPException(400, { message: z.prettifyError(body.error) });
    return _answer(await _command(order(c.req.param("id")), { type: "assign", ...body.data }));
  });

  app.post("/orders/:id/cancel", async (c) => {
    const id = c.req.param("id");
    const principal = c.get("principal");
    const known = assertMaySee(principal, await deps.store.get(id), id);
    if (principal.role !== "ops" && principal.role !== "restaurant") {
      throw new HTTPException(403, { message: "only the restaurant or ops cancel an order" });
    }
    return _answer(await _command(order(known.id), { type: "cancel" }));
  });

  app.get("/orders/:id", async (c) => {
    const id = c.req.param("id");
    return c.json(assertMaySee(c.get("principal"), await deps.store.get(id), id));
  });

  app.get("/orders/:id/notifications", async (c) => {
    const id = c.req.param("id");
    assertMaySee(c.get("principal"), await deps.store.get(id), id);
    return c.json({ orderId: id, notifications: await deps.store.notifications(id) });
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
  return Response.json(
    { error: outcome.message, code: outcome.code },
    { status: _STATUS[outcome.code] ?? 400 },
  );
}
