import type { RestOperation } from "./rest_operation.ts";
import { newZoneBodySchema } from "./zone_body.ts";
import {
  zoneDeletedSchema,
  zoneEventListSchema,
  zoneEventsQuerySchema,
  zoneListSchema,
} from "./zones_http.ts";
import { zoneSchema } from "../domain/zone.ts";

/** The zone routes (docs/zones.md). */
export const ZONE_OPERATIONS: readonly RestOperation[] = [
  {
    method: "post",
    path: "/zones",
    tag: "zones",
    summary: "Make a zone",
    description: "Ops. A polygon (GeoJSON) or a circle, a name, a dwell time, optionally the " +
      "restaurant whose pickup area it is. From then on (on other instances within " +
      "`ZONES_REFRESH_MS`) every fix is judged against it: `enter`, `exit` and `dwell` go to the " +
      "zone-events topic and the fleet map. A bad shape is 400 `invalid_body` naming the field " +
      "(`polygon.coordinates.0.4`); a restaurant no order names is 422 `unknown_restaurant`.",
    auth: "bearer",
    roles: ["ops"],
    body: newZoneBodySchema,
    answers: { 201: { description: "The zone.", schema: zoneSchema } },
    errors: { 403: ["forbidden"], 422: ["unknown_restaurant"] },
  },
  {
    method: "get",
    path: "/zones",
    tag: "zones",
    summary: "Every zone",
    description: "Ops and dispatchers; oldest first.",
    auth: "bearer",
    roles: ["ops", "dispatcher"],
    answers: { 200: { description: "The zones.", schema: zoneListSchema } },
    errors: { 403: ["forbidden"] },
  },
  {
    method: "get",
    path: "/zones/events",
    tag: "zones",
    summary: "The newest zone events",
    description: "Ops and dispatchers; newest first, as stored (the fleet map's list on load; " +
      "then it gets `zone` frames on `/ws/fleet`).",
    auth: "bearer",
    roles: ["ops", "dispatcher"],
    query: zoneEventsQuerySchema,
    answers: { 200: { description: "Newest first.", schema: zoneEventListSchema } },
    errors: { 400: ["invalid_query"], 403: ["forbidden"] },
  },
  {
    method: "get",
    path: "/zones/:id",
    tag: "zones",
    summary: "One zone",
    description: "Ops and dispatchers.",
    auth: "bearer",
    roles: ["ops", "dispatcher"],
    answers: { 200: { description: "The zone.", schema: zoneSchema } },
    errors: { 403: ["forbidden"], 404: ["zone_not_found"] },
  },
  {
    method: "delete",
    path: "/zones/:id",
    tag: "zones",
    summary: "Delete a zone",
    description: "Ops. Its events stay in zone-events; no `exit` is published for drivers " +
      "inside it.",
    auth: "bearer",
    roles: ["ops"],
    answers: { 200: { description: "Deleted.", schema: zoneDeletedSchema } },
    errors: { 403: ["forbidden"], 404: ["zone_not_found"] },
  },
];
