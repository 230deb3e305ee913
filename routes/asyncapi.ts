import type { z } from "zod";
import { ASYNCAPI_FRAMES, type Frames } from "./asyncapi_frames.ts";
import { jsonSchema } from "./json_schema.ts";

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
      handshake: readonly string[];
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
      "x-handshake-errors": spec.handshake,
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
    ...ASYNCAPI_FRAMES.driver,
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
      ...ASYNCAPI_FRAMES.viewer,
    });
  }
  channel("fleet", {
    address: "/ws/fleet",
    about: "The ops map: drivers inside a viewport, thinned or clustered when dense.",
    roles: "ops",
    ...ASYNCAPI_FRAMES.fleet,
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
