import { z } from "zod";
import type { RestOperation } from "./openapi_operations.ts";
import { deviceListSchema, newDeviceSchema } from "./devices_http.ts";

const _text = (description: string) => z.string().optional().meta({ description });

/** The query (or URL-encoded form) parameters of `/osmand`, as the OsmAnd protocol names them. */
export const osmandQuerySchema = z.object({
  id: z.string().meta({
    description: "The device key (`deviceid` and `device_id` are read too): from " +
      "`POST /drivers/{id}/devices`.",
  }),
  lat: _text("Latitude, degrees (or `location=lat,lon`)."),
  lon: _text("Longitude, degrees."),
  location: _text("`lat,lon`, instead of `lat` and `lon`."),
  timestamp: z.string().meta({
    description: "Fix time: Unix seconds, or ms from 2^31 on, ISO 8601 (UTC without an offset), " +
      "or `yyyy-MM-dd HH:mm:ss` (UTC).",
  }),
  speed: _text("Speed in knots (the OsmAnd protocol's unit); below 0: unknown."),
  spd: _text("Speed in m/s (GPSLogger's `%SPD`, OsmAnd's `{5}`), instead of `speed`."),
  bearing: _text("Heading, degrees (also `heading`, `dir`); below 0: unknown."),
  accuracy: _text("Horizontal accuracy, metres (also `acc`); below 0: unknown."),
});

const _OSMAND_ANSWERS = {
  200: {
    description: "Every fix is in Kafka, was already stored, or was refused for good by the " +
      "filters (counted by reason; `X-Fixes-Refused` lists the codes): the app may drop them.",
    text: "text/plain",
  },
} as const;

const _OSMAND_ERRORS = {
  400: ["invalid_request"],
  404: ["device_not_found"],
  429: ["rate_limited"],
  503: ["unavailable", "shutting_down"],
} as const;

const _OSMAND_WHY = "The OsmAnd protocol of Traccar Client, OsmAnd and GPSLogger " +
  "(docs/phones.md), also on `OSMAND_PORT` at any path; any method. The device key acts as " +
  "its driver: fixes take the same path as the driver socket's. Non-2xx answers make the app " +
  "keep the fix and send it again.";

/** `/osmand` and the device routes. */
export const PHONE_OPERATIONS: readonly RestOperation[] = [
  {
    method: "get",
    path: "/osmand",
    tag: "phones",
    summary: "A fix from a phone app, in the query string",
    description: _OSMAND_WHY,
    auth: "none",
    query: osmandQuerySchema,
    answers: _OSMAND_ANSWERS,
    errors: _OSMAND_ERRORS,
  },
  {
    method: "post",
    path: "/osmand",
    tag: "phones",
    summary: "Fixes from a phone app: query, form, JSON object or array",
    description: _OSMAND_WHY + " The body may be the same parameters URL-encoded, a JSON " +
      "object of them, a JSON array of them (a batch), or `{device_id, location: {timestamp, " +
      "coords: {latitude, longitude, speed (m/s), heading, accuracy}}}` (Traccar Client 9).",
    auth: "none",
    query: osmandQuerySchema.partial(),
    answers: _OSMAND_ANSWERS,
    errors: _OSMAND_ERRORS,
  },
  {
    method: "post",
    path: "/drivers/:id/devices",
    tag: "phones",
    summary: "Register a phone for a driver",
    description: "Answers the device key once; only its SHA-256 is stored.",
    auth: "bearer",
    roles: ["ops"],
    answers: { 201: { description: "The device and its key.", schema: newDeviceSchema } },
  },
  {
    method: "get",
    path: "/drivers/:id/devices",
    tag: "phones",
    summary: "A driver's phones (without keys)",
    auth: "bearer",
    roles: ["ops"],
    answers: {
      200: { description: "Devices not revoked, oldest first.", schema: deviceListSchema },
    },
  },
  {
    method: "delete",
    path: "/drivers/:id/devices/:deviceId",
    tag: "phones",
    summary: "Revoke a phone",
    description: "Its key is refused (404) at once on this instance, within 30 s on the others.",
    auth: "bearer",
    roles: ["ops"],
    answers: { 204: { description: "Revoked." } },
    errors: { 404: ["device_not_found"] },
  },
];
