import { z } from "zod";
import type { RestOperation } from "./rest_operation.ts";
import { DISPATCH_OPERATIONS } from "./openapi_dispatch_operations.ts";
import { ZONE_OPERATIONS } from "./openapi_zone_operations.ts";
import { assignOrderSchema, orderNotificationsSchema } from "./orders_http.ts";
import { historyPageSchema, historyQuerySchema } from "./drivers_http.ts";
import { historyFeatureSchema } from "./history_formats.ts";
import { trackQuerySchema } from "./history_query.ts";
import { trackPageSchema } from "./order_track_http.ts";
import { livenessSchema, readinessSchema } from "./health_http.ts";
import { fleetDriverAnswerSchema } from "./fleet_ws.ts";
import { devTokenAnswerSchema, devTokenBodySchema } from "./pages_http.ts";
import { newOrderSchema, orderSchema } from "../domain/order.ts";
import { locationRecordSchema } from "../domain/location_record.ts";

export type { RestOperation } from "./rest_operation.ts";

const _ORDER_ERRORS = {
  403: ["forbidden", "not_your_order"],
  404: ["order_not_found"],
  409: ["invalid_transition"],
} as const;

/** The errors of a read a share link may make: revoked (401), ended with the order (410). */
const _SHARED_READ_ERRORS = {
  401: ["share_revoked"],
  403: ["forbidden"],
  404: ["order_not_found"],
  410: ["share_ended"],
} as const;

const _HISTORY_MEDIA = {
  "application/geo+json": historyFeatureSchema,
  "application/gpx+xml": null,
  "application/x-ndjson": null,
};

/** Every REST route of the service. `openapi_test.ts` holds this list to the app's routes. */
export const REST_OPERATIONS: readonly RestOperation[] = [
  {
    method: "post",
    path: "/orders",
    tag: "orders",
    summary: "Create an order",
    description: "A restaurant creates orders for itself; ops for any restaurant.",
    auth: "bearer",
    roles: ["restaurant", "ops"],
    body: newOrderSchema,
    answers: { 201: { description: "The order, `status: created`.", schema: orderSchema } },
    errors: { 403: ["forbidden"] },
  },
  {
    method: "post",
    path: "/orders/:id/assign",
    tag: "orders",
    summary: "Assign (or re-assign) a driver",
    description: "Works until pickup.",
    auth: "bearer",
    roles: ["ops"],
    body: assignOrderSchema,
    answers: { 200: { description: "The order.", schema: orderSchema } },
    errors: _ORDER_ERRORS,
  },
  {
    method: "post",
    path: "/orders/:id/cancel",
    tag: "orders",
    summary: "Cancel an order",
    description: "Its restaurant, or ops; refused (409) after pickup.",
    auth: "bearer",
    roles: ["restaurant", "ops"],
    answers: { 200: { description: "The order, `status: cancelled`.", schema: orderSchema } },
    errors: _ORDER_ERRORS,
  },
  {
    method: "get",
    path: "/orders/:id",
    tag: "orders",
    summary: "Read an order",
    description: "Its customer, its restaurant, its assigned driver, ops, or a share link of it.",
    auth: "bearer",
    roles: ["customer", "restaurant", "driver", "ops", "share"],
    answers: { 200: { description: "The order.", schema: orderSchema } },
    errors: _SHARED_READ_ERRORS,
  },
  {
    method: "get",
    path: "/orders/:id/notifications",
    tag: "orders",
    summary: "An order's notifications, oldest first",
    description: "Who may read the order may read these.",
    auth: "bearer",
    roles: ["customer", "restaurant", "driver", "ops"],
    answers: { 200: { description: "The notifications.", schema: orderNotificationsSchema } },
    errors: { 403: ["forbidden"], 404: ["order_not_found"] },
  },
  {
    method: "get",
    path: "/orders/:id/track",
    tag: "orders",
    summary: "The track of an order's driver, paginated",
    description: "The assigned driver's stored fixes from assignment to delivery (to now while " +
      "the order is under way); who may read the order may read it, a share link too.",
    auth: "bearer",
    roles: ["customer", "restaurant", "driver", "ops", "share"],
    query: trackQuerySchema,
    answers: {
      200: {
        description: "One page, ascending `ts` (`?format=` picks JSON, GeoJSON or GPX).",
        schema: trackPageSchema,
        also: { "application/geo+json": historyFeatureSchema, "application/gpx+xml": null },
      },
    },
    errors: { 400: ["invalid_query"], ..._SHARED_READ_ERRORS },
  },
  ...DISPATCH_OPERATIONS,
  ...ZONE_OPERATIONS,
  {
    method: "get",
    path: "/drivers/:id/location",
    tag: "drivers",
    summary: "A driver's newest accepted fix",
    description: "The driver itself, or ops.",
    auth: "bearer",
    roles: ["driver", "ops"],
    answers: { 200: { description: "The newest fix.", schema: locationRecordSchema } },
    errors: { 403: ["forbidden"], 404: ["location_not_found"] },
  },
  {
    method: "get",
    path: "/drivers/:id/history",
    tag: "drivers",
    summary: "A driver's stored fixes, paginated",
    description: "The driver itself, or ops. Epoch seconds in `from`/`to` are refused " +
      "(`timestamp_not_ms`).",
    auth: "bearer",
    roles: ["driver", "ops"],
    query: historyQuerySchema,
    answers: {
      200: {
        description: "One page, ascending `ts` (`?format=` picks JSON, GeoJSON or GPX), or " +
          "with `?stream=ndjson` every fix of the range, one a line. The next page is also in " +
          '`Link` (`rel="next"`); a retention note also in `X-History-Retention`.',
        schema: historyPageSchema,
        also: _HISTORY_MEDIA,
      },
    },
    errors: { 400: ["invalid_query", "timestamp_not_ms"], 429: ["too_many_streams"] },
  },
  {
    method: "get",
    path: "/fleet/drivers/:id",
    tag: "fleet",
    summary: "A driver's newest fix and active order, for the ops map",
    auth: "bearer",
    roles: ["ops"],
    answers: { 200: { description: "What is known.", schema: fleetDriverAnswerSchema } },
    errors: { 403: ["forbidden"], 404: ["not_found"] },
  },
  {
    method: "get",
    path: "/healthz",
    tag: "health",
    summary: "Liveness: the process runs",
    auth: "none",
    answers: { 200: { description: "Alive.", schema: livenessSchema } },
  },
  {
    method: "get",
    path: "/readyz",
    tag: "health",
    summary: "Readiness: Kafka and PostgreSQL answer and every component does its job",
    auth: "none",
    answers: {
      200: { description: "Ready.", schema: readinessSchema },
      503: { description: "Not ready, or draining: `down` names what.", schema: readinessSchema },
    },
  },
  {
    method: "get",
    path: "/metrics",
    tag: "health",
    summary: "Prometheus metrics",
    description: "Open, or behind `Authorization: Bearer <METRICS_TOKEN>` when that is set.",
    auth: "metrics",
    answers: { 200: { description: "Prometheus text format 0.0.4.", text: "text/plain" } },
    errors: { 401: ["metrics_unauthorized"] },
  },
  {
    method: "get",
    path: "/openapi.json",
    tag: "documents",
    summary: "This document",
    auth: "none",
    answers: { 200: { description: "OpenAPI 3.1.", schema: z.record(z.string(), z.unknown()) } },
  },
  {
    method: "get",
    path: "/asyncapi.json",
    tag: "documents",
    summary: "The WebSocket channels and frames",
    auth: "none",
    answers: { 200: { description: "AsyncAPI 3.0.", schema: z.record(z.string(), z.unknown()) } },
  },
  {
    method: "post",
    path: "/dev/token",
    tag: "dev",
    summary: "Sign a token (dev mode only)",
    description: "Exists only while the service runs with the dev JWT secret (`deno task dev`).",
    auth: "none",
    body: devTokenBodySchema,
    answers: { 200: { description: "An HS256 JWT.", schema: devTokenAnswerSchema } },
    errors: { 400: ["bad_request"] },
    devOnly: true,
  },
];

/**
 * Routes the OpenAPI document leaves out on purpose, with the reason: the pages and their files
 * (for browsers, not API clients). WebSocket routes are in the AsyncAPI document instead.
 */
export const UNDOCUMENTED_ROUTES: Readonly<Record<string, string>> = {
  "GET /": "page: the fleet map",
  "GET /track/:orderId": "page: an order's tracking",
  "GET /restaurant/:restaurantId": "page: a restaurant's dashboard",
  "GET /replay": "page: history replay",
  "GET /docs": "page: this API reference",
  "GET /pages/config.json": "the pages' configuration",
  "GET /pages/:name": "the pages' scripts and styles",
  "GET /assets/leaflet/*": "Leaflet's files",
};
