import type { RestOperation } from "./rest_operation.ts";
import { nearbyAnswerSchema, nearbyQuerySchema } from "./nearby_http.ts";
import { revokeAnswerSchema, shareAnswerSchema } from "./order_share_http.ts";

const _SHARE_ERRORS = { 403: ["forbidden"], 404: ["order_not_found"] } as const;

/** The dispatch routes: the nearby search and the share links of orders. */
export const DISPATCH_OPERATIONS: readonly RestOperation[] = [
  {
    method: "get",
    path: "/drivers/nearby",
    tag: "drivers",
    summary: "The drivers nearest a point, now",
    description: "Ops and dispatchers. From this instance's live index of every driver's newest " +
      "fix (fed by the location topic, whichever instance the driver is connected to): the " +
      "drivers within `radius_m`, nearest first, in `state`, leaving out those whose newest fix " +
      "is older than `NEARBY_MAX_AGE_MS`.",
    auth: "bearer",
    roles: ["ops", "dispatcher"],
    query: nearbyQuerySchema,
    answers: { 200: { description: "Nearest first.", schema: nearbyAnswerSchema } },
    errors: { 400: ["invalid_query"] },
  },
  {
    method: "post",
    path: "/orders/:id/share",
    tag: "orders",
    summary: "Make a share link of an order",
    description: "Its customer, or ops. A read-only token (role `share`) for this order alone: " +
      "`GET /orders/:id`, `GET /orders/:id/track` and `GET /ws/orders/:id`, nothing else. It " +
      "ends at `exp` (`SHARE_TTL_S`, at most `JWT_MAX_TTL_S`), when the order is delivered or " +
      "cancelled (410 `share_ended`), or when revoked (401 `share_revoked`). `url` opens the " +
      "track page, which drops the token from the address bar.",
    auth: "bearer",
    roles: ["customer", "ops"],
    answers: { 201: { description: "The link.", schema: shareAnswerSchema } },
    errors: { ..._SHARE_ERRORS, 410: ["share_ended"] },
  },
  {
    method: "delete",
    path: "/orders/:id/share",
    tag: "orders",
    summary: "Revoke every share link of an order",
    description: "Its customer, or ops; on every instance at once.",
    auth: "bearer",
    roles: ["customer", "ops"],
    answers: { 200: { description: "How many were revoked.", schema: revokeAnswerSchema } },
    errors: _SHARE_ERRORS,
  },
  {
    method: "delete",
    path: "/orders/:id/share/:shareId",
    tag: "orders",
    summary: "Revoke one share link of an order",
    description: "Its customer, or ops; on every instance at once. Revoking twice answers " +
      "`revoked: 0`.",
    auth: "bearer",
    roles: ["customer", "ops"],
    answers: {
      200: { description: "How many were revoked (1 or 0).", schema: revokeAnswerSchema },
    },
    errors: _SHARE_ERRORS,
  },
];
