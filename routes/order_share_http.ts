import { Hono } from "hono";
import { sign } from "hono/jwt";
import { z } from "zod";
import { apiError } from "./api_error.ts";
import { authenticate, type AuthEnv, REST_AUTH, ROLES } from "./auth.ts";
import { pathIds } from "./path_ids.ts";
import { permissions } from "./permissions.ts";
import type { Order } from "../domain/order.ts";
import type { ShareStore } from "../domain/order_share.ts";

/** What the share-link routes need. */
export interface OrderShareHttpDeps {
  readonly secret: string;
  /** The order, from the store. */
  readonly order: (id: string) => Promise<Order | undefined>;
  readonly shares: ShareStore;
  /** `SHARE_TTL_S`: a link's token lives this long at most. @default {86400} */
  readonly ttlS?: number;
  /** `JWT_MAX_TTL_S`: the service refuses longer-lived tokens, so links never live longer. */
  readonly maxTtlS?: number;
  /** The clock, epoch ms. @default {Date.now} */
  readonly now?: () => number;
}

/** The answer of `POST /orders/:id/share`. */
export const shareAnswerSchema = z.object({
  shareId: z.string().meta({ description: "The link's id: `DELETE /orders/:id/share/:shareId`." }),
  orderId: z.string(),
  token: z.string().meta({
    description: "A JWT of role `share` (`sub`: the order, `jti`: the link): reads this order " +
      "alone (`GET /orders/:id`, `GET /orders/:id/track`, `GET /ws/orders/:id`), until `exp`, " +
      "the order's delivery or cancellation, or its revocation.",
  }),
  url: z.string().meta({ description: "The track page with the token: `/track/:id?token=`." }),
  expiresAt: z.number().int().meta({ description: "The token's `exp`, epoch ms." }),
});

/** The answer of `DELETE /orders/:id/share[/:shareId]`. */
export const revokeAnswerSchema = z.object({
  orderId: z.string(),
  revoked: z.number().int().meta({ description: "Links revoked now (0: none was active)." }),
});

/**
 * `POST /orders/:id/share` (the order's customer, or ops) signs a read-only share link of the
 * order, stored so that `DELETE /orders/:id/share/:shareId` (one link) or
 * `DELETE /orders/:id/share` (all of them) revokes it on every instance.
 */
export function orderShareHttpRoute(deps: OrderShareHttpDeps): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const now = deps.now ?? Date.now;
  const ttlS = Math.min(deps.ttlS ?? 86_400, deps.maxTtlS ?? Infinity);
  const auth = authenticate(deps.secret, ROLES, REST_AUTH);
  app.use("/orders/:id/share", pathIds(), auth);
  app.use("/orders/:id/share/*", pathIds(), auth);
  const sharer = async (principal: AuthEnv["Variables"]["principal"], id: string) => {
    const order = permissions.seeOrder(principal, await deps.order(id), id);
    permissions.shareOrder(principal, order);
    return order;
  };

  app.post("/orders/:id/share", async (c) => {
    const principal = c.get("principal");
    const order = await sharer(principal, c.req.param("id"));
    if (order.status === "delivered" || order.status === "cancelled") {
      throw apiError(410, "share_ended", `order ${order.id} is ${order.status}: nothing to share`);
    }
    const iat = Math.floor(now() / 1000);
    const exp = iat + ttlS;
    const shareId = crypto.randomUUID();
    const createdBy = `${principal.role}:${principal.sub}`;
    const { id } = order;
    await deps.shares.create({
      shareId,
      orderId: id,
      createdBy,
      createdAt: now(),
      expiresAt: exp * 1000,
    });
    const claims = { sub: id, role: "share", jti: shareId, iat, exp };
    const token = await sign(claims, deps.secret, "HS256");
    const url = `/track/${encodeURIComponent(id)}?token=${token}`;
    const answer: z.infer<typeof shareAnswerSchema> = {
      shareId,
      orderId: id,
      token,
      url,
      expiresAt: exp * 1000,
    };
    return c.json(answer, 201);
  });

  app.delete("/orders/:id/share", async (c) => {
    const { id } = await sharer(c.get("principal"), c.req.param("id"));
    const answer: z.infer<typeof revokeAnswerSchema> = {
      orderId: id,
      revoked: await deps.shares.revoke(id),
    };
    return c.json(answer);
  });

  app.delete("/orders/:id/share/:shareId", async (c) => {
    const { id } = await sharer(c.get("principal"), c.req.param("id"));
    const revoked = await deps.shares.revoke(id, c.req.param("shareId"));
    return c.json({ orderId: id, revoked } satisfies z.infer<typeof revokeAnswerSchema>);
  });
  return app;
}
