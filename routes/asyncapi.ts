import type { z } from "zod";
import { jsonSchema } from "./json_schema.ts";
import { fleetFrameSchema } from "../actors/fleet_viewer.ts";
import { viewportFrameSchema } from "./fleet_ws.ts";
import {
  CLOSE_CODES,
  driverFrameSchema,
  driverServerFrameSchema,
  MAX_FRAME_CHARS,
} from "../actors/driver_protocol.ts";
import { VIEWER_CLOSE_CODES, viewerFrameSchema } from "../actors/order_protocol.ts";

/** Options of {@linkcode asyncApiDocument}. */
export interface AsyncApiOptions {
  /** `host[:port]` clients connect to. @default {"localhost:8000"} */
  readonly host?: string;
  /** `wss` behind TLS. @default {"ws"} */
  readonly protocol?: "ws" | "wss";
  /** The document's `info.version`. @default {"1.0.0"} */
  readonly version?: string;
}

type Json = Record<string, unknown>;
/** A union of frames tagged with `type`, and a line about each `type`. */
type Frames = { schema: z.ZodDiscriminatedUnion; about: Record<string, string> };

/** Client to server on `/ws/driver`. */
const _DRIVER_IN: Frames = {
  schema: driverFrameSchema,
  about: {
    location: "One fix; `ts` = fix time in epoch ms; `speed`, `heading`, `accuracy` optional.",
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
    location: "Each newer position of the assigned driver (conflated for slow viewers).",
    status: "The order was assigned, picked up, delivered or cancelled.",
    eta: "On the first position, then when it moves by 15 s or 10 %.",
    notification: "Once per order and threshold: `driver_near`, `driver_arriving`.",
    error: "A frame the viewer sent was refused (viewers send nothing).",
  },
};
/** Client to server on `/ws/fleet`. */
const _FLEET_IN: Frames = {
  schema: viewportFrameSchema as unknown as z.ZodDiscriminatedUnion,
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
    error: "A refused frame. The socket stays open.",
  },
};

/** What each close code of `CLOSE_CODES` (driver sockets) means: every one must be said. */
const _DRIVER_CLOSES: Record<keyof typeof CLOSE_CODES, string> = {
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

const _HANDSHAKE = [
  "401 `token_*` (see `docs/errors.md`)",
  "403 `forbidden` (role or id), `origin_not_allowed`",
  "426 `upgrade_required` (not a WebSocket upgrade)",
  "429 `too_many_sockets`",
  "503 `server_at_capacity`, `shutting_down`",
];

/**
 * The AsyncAPI 3.0 document of the WebSocket channels: every frame each side sends (payloads are
 * the JSON Schemas of the zod frame schemas), the close codes (`x-close-codes`) and the refusals
 * before the upgrade (`x-handshake-errors`). Operations are from the server's side: it
 * `receive`s what clients send and `send`s the rest.
 */
export function asyncApiDocument(options: AsyncApiOptions = {}): Json {
  const channels: Json = {};
  const operations: Json = {};
  const channel = (
    name: string,
    spec: {
      address: string;
      about: string;
      roles: string;
      params?: Record<string, string>;
      in?: Frames;
      out: Frames;
      closes: Record<string, string>;
    },
  ) => {
    const inbound = spec.in ? _messages(spec.in, "client") : {};
    const outbound = _messages(spec.out, "server");
    channels[name] = {
      address: spec.address,
      title: `GET ${spec.address}`,
      description: `${spec.about} Roles: ${spec.roles}. Token in \`Authorization: Bearer\` or ` +
        "`?token=` (upgrades only).",
      ...(spec.params && {
        parameters: Object.fromEntries(
          Object.entries(spec.params).map(([p, description]) => [p, { description }]),
        ),
      }),
      messages: { ...inbound, ...outbound },
      bindings: { ws: { method: "GET", bindingVersion: "0.1.0" } },
      "x-close-codes": spec.closes,
      "x-handshake-errors": _HANDSHAKE,
    };
    const ref = { $ref: `#/channels/${name}` };
    const refs = (messages: Json) =>
      Object.keys(messages).map((key) => ({ $ref: `#/channels/${name}/messages/${key}` }));
    const security = [
      { $ref: "#/components/securitySchemes/bearer" },
      { $ref: "#/components/securitySchemes/tokenQuery" },
    ];
    if (spec.in) {
      operations[`${name}Receive`] = {
        action: "receive",
        channel: ref,
        summary: "Frames the client sends",
        security,
        messages: refs(inbound),
      };
    }
    operations[`${name}Send`] = {
      action: "send",
      channel: ref,
      summary: "Frames the server sends",
      security,
      messages: refs(outbound),
    };
  };

  channel("driver", {
    address: "/ws/driver",
    about: "A driver streams its fixes; the driver id is the token's `sub`.",
    roles: "driver",
    in: _DRIVER_IN,
    out: _DRIVER_OUT,
    closes: _closes(CLOSE_CODES, _DRIVER_CLOSES),
  });
  for (
    const [name, address, param, roles] of [
      ["order", "/ws/orders/{orderId}", "orderId", "the order's customer, ops"],
      ["restaurant", "/ws/restaurants/{restaurantId}", "restaurantId", "that restaurant, ops"],
    ] as const
  ) {
    channel(name, {
      address,
      about: name === "order"
        ? "A customer watches one order."
        : "A restaurant watches every active order of its own.",
      roles,
      params: { [param]: `The ${name} id.` },
      out: _VIEWER_OUT,
      closes: {
        ..._closes(VIEWER_CLOSE_CODES, _VIEWER_CLOSES),
        ..._closes(CLOSE_CODES, _DRIVER_CLOSES, ["tooLarge"]),
      },
    });
  }
  channel("fleet", {
    address: "/ws/fleet",
    about: "The ops map: drivers inside a viewport, thinned or clustered when dense.",
    roles: "ops",
    in: _FLEET_IN,
    out: _FLEET_OUT,
    closes: _closes(CLOSE_CODES, _DRIVER_CLOSES, [
      "goingAway",
      "tooLarge",
      "tokenExpired",
      "rateLimited",
    ]),
  });

  return {
    asyncapi: "3.0.0",
    info: {
      title: "Driver tracking sockets",
      version: options.version ?? "1.0.0",
      description: "WebSocket channels of the driver-tracking service: JSON text frames tagged " +
        "with `type`. The REST routes are in OpenAPI at `/openapi.json`.",
    },
    defaultContentType: "application/json",
    servers: {
      service: {
        host: options.host ?? "localhost:8000",
        protocol: options.protocol ?? "ws",
        description: "this service",
      },
    },
    channels,
    operations,
    components: {
      securitySchemes: {
        bearer: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "JWT",
          description: "HS256 JWT (`sub`, `role`, `exp`) in `Authorization`.",
        },
        tokenQuery: {
          type: "httpApiKey",
          name: "token",
          in: "query",
          description: "The same JWT as `?token=`, for browsers (upgrade requests only).",
        },
      },
    },
  };
}

/** One message per `type` of a union, keyed `<side>.<type>`. */
function _messages(frames: Frames, side: "client" | "server"): Json {
  const out: Json = {};
  const options = "options" in frames.schema ? frames.schema.options : [frames.schema];
  for (const option of options as z.ZodObject[]) {
    const type = (option.shape.type as z.ZodLiteral<string>).value;
    const about = frames.about[type];
    if (about === undefined) throw new Error(`no description of the ${side} frame ${type}`);
    out[`${side}.${type}`] = {
      name: type,
      title: `${side === "client" ? "client → server" : "server → client"}: ${type}`,
      summary: about,
      payload: jsonSchema(option, {
        io: side === "client" ? "input" : "output",
        target: "draft-07",
      }),
    };
  }
  return out;
}
