import type { z } from "zod";
import { ASYNCAPI_FRAMES, type Frames } from "./asyncapi_frames.ts";
import { jsonSchema } from "./json_schema.ts";
import { zoneEventsAsyncApi } from "./asyncapi_zone_events.ts";

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

/** What a channel of the document is made of. */
interface ChannelSpec {
  readonly address: string;
  readonly about: string;
  readonly roles: string;
  readonly params?: Record<string, string>;
  /** Frames the client sends; none on a channel the client only listens to. */
  readonly in?: Frames;
  readonly out: Frames;
  readonly closes: Record<string, string>;
  readonly handshake: readonly string[];
}

/**
 * The AsyncAPI 3.0 document of the WebSocket channels: every frame each side sends (payloads are
 * the JSON Schemas of the zod frame schemas), the close codes (`x-close-codes`) and the refusals
 * before the upgrade (`x-handshake-errors`). Operations are from the server's side: it
 * `receive`s what clients send and `send`s the rest.
 */
export function asyncApiDocument(options: AsyncApiOptions = {}): Json {
  const doc = { channels: {}, operations: {} };
  for (const [name, spec] of _channelSpecs()) _addChannel(doc, name, spec);
  const zones = zoneEventsAsyncApi();
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
      ...zones.servers,
    },
    channels: { ...doc.channels, ...zones.channels },
    operations: { ...doc.operations, ...zones.operations },
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

/** The channels, in the document's order: the driver's, the order's, the restaurant's, the fleet's. */
function _channelSpecs(): [string, ChannelSpec][] {
  const viewer = (name: "order" | "restaurant", address: string, param: string, roles: string) =>
    [name, {
      address,
      about: name === "order"
        ? "A customer watches one order (or anyone with a share link of it, until delivery)."
        : "A restaurant watches every active order of its own.",
      roles,
      params: { [param]: `The ${name} id.` },
      ...ASYNCAPI_FRAMES.viewer,
    }] as [string, ChannelSpec];
  return [
    ["driver", {
      address: "/ws/driver",
      about: "A driver streams its fixes; the driver id is the token's `sub`.",
      roles: "driver",
      ...ASYNCAPI_FRAMES.driver,
    }],
    viewer(
      "order",
      "/ws/orders/{orderId}",
      "orderId",
      "the order's customer, ops, an active share link of the order (role `share`)",
    ),
    viewer("restaurant", "/ws/restaurants/{restaurantId}", "restaurantId", "that restaurant, ops"),
    ["fleet", {
      address: "/ws/fleet",
      about: "The ops map: drivers inside a viewport, thinned or clustered when dense.",
      roles: "ops",
      ...ASYNCAPI_FRAMES.fleet,
    }],
  ];
}

/**
 * Adds channel `name` to `doc.channels`, and the server's operations on it to `doc.operations`:
 * `<name>Receive` (when the client sends frames) and `<name>Send`.
 */
function _addChannel(doc: { channels: Json; operations: Json }, name: string, spec: ChannelSpec) {
  const inbound = spec.in ? _messages(spec.in, "client") : {};
  const outbound = _messages(spec.out, "server");
  doc.channels[name] = {
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
    "x-handshake-errors": spec.handshake,
  };
  const security = [
    { $ref: "#/components/securitySchemes/bearer" },
    { $ref: "#/components/securitySchemes/tokenQuery" },
  ];
  if (spec.in) doc.operations[`${name}Receive`] = _operation(name, "receive", inbound, security);
  doc.operations[`${name}Send`] = _operation(name, "send", outbound, security);
}

/** The server's `receive` (client frames) or `send` (server frames) operation on a channel. */
function _operation(name: string, action: "receive" | "send", messages: Json, security: Json[]) {
  return {
    action,
    channel: { $ref: `#/channels/${name}` },
    summary: action === "receive" ? "Frames the client sends" : "Frames the server sends",
    security,
    messages: Object.keys(messages).map((key) => ({ $ref: `#/channels/${name}/messages/${key}` })),
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
