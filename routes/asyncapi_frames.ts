import type { z } from "zod";
import { viewportFrameSchema } from "./fleet_ws.ts";
import { fleetFrameSchema } from "../actors/fleet_viewer.ts";
import { MEASUREMENT_RANGES } from "../domain/fix_filter.ts";
import {
  driverFrameSchema,
  driverServerFrameSchema,
  MAX_FRAME_CHARS,
} from "../actors/driver_protocol.ts";
import { DRIVER_CLOSE_CODES, VIEWER_CLOSE_CODES } from "../domain/close_codes.ts";
import { viewerFrameSchema } from "../actors/order_protocol.ts";

/** Frames tagged with `type` (a union, or one object), and a line about each `type`. */
export type Frames = {
  schema: z.ZodDiscriminatedUnion | z.ZodObject;
  about: Record<string, string>;
};

/** `speed` 0..150, ... from the fix filter's own ranges. */
function _ranges(): string {
  return Object.entries(MEASUREMENT_RANGES).map(([name, [min, max]]) =>
    `\`${name}\` ${min}..${max}`
  )
    .join(", ");
}

/** Client to server on `/ws/driver`. */
const _DRIVER_IN: Frames = {
  schema: driverFrameSchema,
  about: {
    location: "One fix; `ts` = fix time in epoch ms; `speed`, `heading`, `accuracy` optional. " +
      `The fix filter checks \`lat\` -90..90, \`lon\` -180..180, ${_ranges()} (m/s, degrees, metres), \`ts\` in ms ` +
      "after 2000 and not in the future; a refused fix gets an `error` frame.",
    locations: "Up to 100 fixes buffered offline; judged in `ts` order.",
    order: "The driver picked the order up or delivered it.",
  },
};
/** Server to client on `/ws/driver`. */
const _DRIVER_OUT: Frames = {
  schema: driverServerFrameSchema,
  about: {
    ack: "Every accepted fix up to `ts` is stored in Kafka (cumulative).",
    order: "An order event was accepted; the order is now in `status`.",
    error: "A refused frame or fix (`ts` names the fix). The socket stays open.",
  },
};
/** Server to client on `/ws/orders/{orderId}` and `/ws/restaurants/{restaurantId}`. */
const _VIEWER_OUT: Frames = {
  schema: viewerFrameSchema,
  about: {
    snapshot: "First, on every (re)connect: the order, last position, ETA, notifications.",
    location: "Each newer position of the assigned driver (conflated for slow viewers), with " +
      "its age (`ageMs`, from the service's receipt) and `stale`.",
    status: "The order was assigned, picked up, delivered or cancelled.",
    eta: "On the first position, then when it moves by 15 s or 10 %; none while stale, and " +
      "again on the first fresh position after.",
    stale: "No newer fix of the driver for `STALE_AFTER_MS` (30 s): show the position as old and " +
      "stop the ETA. The next `location` (with `stale: false`) clears it.",
    notification: "Once per order and threshold: `driver_near`, `driver_arriving`, " +
      "`driver_at_restaurant` (the driver dwells in the restaurant's zone).",
    error: "A frame the viewer sent was refused (viewers send nothing).",
  },
};
/** Client to server on `/ws/fleet`. */
const _FLEET_IN: Frames = {
  schema: viewportFrameSchema,
  about: { viewport: "The map's viewport `[west, south, east, north]`, and its zoom." },
};
/** Server to client on `/ws/fleet`. */
const _FLEET_OUT: Frames = {
  schema: fleetFrameSchema,
  about: {
    positions: "Drivers in the viewport whose fix changed since the last interval.",
    gone: "Drivers that left the viewport or went offline.",
    clusters: "Instead of positions, when the viewport holds more than `FLEET_MAX_POINTS`.",
    stats: "Drivers online, active orders, partitions read.",
    zone: "A zone event as it happens, on whichever instance it was decided: a driver's " +
      "`enter`, `exit` or `dwell` (docs/zones.md); the record of zone-events, with `type`.",
    error: "A refused frame. The socket stays open.",
  },
};

/** What each close code of `DRIVER_CLOSE_CODES` means: every one must be said. */
const _DRIVER_CLOSES: Record<keyof typeof DRIVER_CLOSE_CODES, string> = {
  goingAway: "The server is shutting down; reconnect elsewhere.",
  tooLarge: `A frame over ${MAX_FRAME_CHARS / 1024} KiB.`,
  unavailable: "Kafka did not take fixes: reconnect and resend everything after the last `ack`.",
  tokenExpired: "The token expired while the socket was open; reconnect with a fresh one.",
  replaced: "A newer socket of the same driver replaced this one; do not reconnect from it.",
  rateLimited: "The client kept sending over its rate limit after `rate_limited`.",
};
/** What each close code of `VIEWER_CLOSE_CODES` means (`tooLarge` comes from the guard). */
const _VIEWER_CLOSES: Record<keyof typeof VIEWER_CLOSE_CODES, string> = {
  goingAway: _DRIVER_CLOSES.goingAway,
  finished: "The order was delivered or cancelled: nothing more will come (order sockets).",
  tokenExpired: _DRIVER_CLOSES.tokenExpired,
  notFound: "The order does not exist.",
  tooSlow: "The viewer read too slowly: its send buffer stayed over the limit.",
  rateLimited: _DRIVER_CLOSES.rateLimited,
};

/** `{ "<code>": "<meaning>" }` for the named codes of `codes`. */
function _closes<K extends string>(
  codes: Readonly<Record<K, number>>,
  about: Record<K, string>,
  only?: readonly K[],
): Record<string, string> {
  const names = only ?? (Object.keys(codes) as K[]);
  return Object.fromEntries(names.map((name) => [String(codes[name]), about[name]]));
}

/** Refusals before the upgrade, HTTP with the API error shape, on every socket route. */
const _HANDSHAKE = [
  "401 `token_*` (see `docs/errors.md`)",
  "403 `forbidden` (role or id), `origin_not_allowed`",
  "426 `upgrade_required` (not a WebSocket upgrade)",
  "503 `shutting_down`",
];
/** Refusals of the socket limits (`socket_admission.ts`): driver and viewer routes. */
const _LIMITS = ["429 `too_many_sockets`", "503 `server_at_capacity`"];

/**
 * What the AsyncAPI document says about each socket: its frames each way (the zod unions and a
 * line per `type`), its close codes, and the refusals before the upgrade.
 */
export const ASYNCAPI_FRAMES = {
  driver: {
    in: _DRIVER_IN,
    out: _DRIVER_OUT,
    closes: _closes(DRIVER_CLOSE_CODES, _DRIVER_CLOSES),
    handshake: [..._HANDSHAKE, ..._LIMITS],
  },
  viewer: {
    out: _VIEWER_OUT,
    closes: {
      ..._closes(VIEWER_CLOSE_CODES, _VIEWER_CLOSES),
      ..._closes(DRIVER_CLOSE_CODES, _DRIVER_CLOSES, ["tooLarge"]),
    },
    handshake: [
      ..._HANDSHAKE,
      ..._LIMITS,
      "400 `invalid_id` (the path id)",
      "404 `order_not_found` (order sockets)",
    ],
  },
  fleet: {
    in: _FLEET_IN,
    out: _FLEET_OUT,
    closes: _closes(DRIVER_CLOSE_CODES, _DRIVER_CLOSES, [
      "goingAway",
      "tooLarge",
      "tokenExpired",
      "rateLimited",
    ]),
    handshake: _HANDSHAKE,
  },
} as const;
