import { apiErrorBodySchema } from "./api_error.ts";
import { AUTH_FAILURES } from "./auth.ts";
import { jsonSchema } from "./json_schema.ts";
import { REST_OPERATIONS, type RestOperation } from "./openapi_operations.ts";
import { PHONE_OPERATIONS } from "./openapi_phones.ts";
import { idSchema } from "../domain/ids.ts";

/** Options of {@linkcode openApiDocument}. */
export interface OpenApiOptions {
  /** Whether the service runs with the dev secret: `POST /dev/token` exists only then. */
  readonly dev: boolean;
  /** The document's `info.version`. @default {"1.0.0"} */
  readonly version?: string;
}

type Json = Record<string, unknown>;

const _STATUS_TEXT: Record<number, string> = {
  400: "Bad request",
  401: "No valid token (`WWW-Authenticate` says why)",
  403: "Refused for this caller",
  404: "Not found",
  409: "Conflict with the order's status",
  410: "Gone: the order was delivered or cancelled, and its share links with it",
  413: "Body over `MAX_BODY_BYTES`",
  429: "Too many at once for this caller or instance (`Retry-After` says when to try again)",
  500: "Unexpected failure (logged; no detail is given)",
  503: "Not now (Kafka, or the instance is draining): send again after `Retry-After`",
};

/**
 * The OpenAPI 3.1 document of every REST route, built from {@linkcode REST_OPERATIONS}: request
 * bodies, query and path parameters, answers and errors are the JSON Schemas of the zod schemas
 * the routes validate with (`z.toJSONSchema`).
 */
export function openApiDocument(options: OpenApiOptions): Json {
  const paths: Record<string, Json> = {};
  for (const op of [...REST_OPERATIONS, ...PHONE_OPERATIONS]) {
    if (op.devOnly && !options.dev) continue;
    const path = openApiPath(op.path);
    paths[path] = { ...paths[path], [op.method]: _operation(op) };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Driver tracking API",
      version: options.version ?? "1.0.0",
      description: "REST routes of the driver-tracking service. Every error has one shape, " +
        '`{"error":{"code","message","field"}}` (`docs/errors.md`). Any route: an unknown path is ' +
        "404 `not_found`, a known path with another method 405 `method_not_allowed` (with " +
        "`Allow`), a body over `MAX_BODY_BYTES` 413 `body_too_large`. The WebSocket channels are " +
        "described in AsyncAPI at `/asyncapi.json`.",
    },
    servers: [{ url: "/", description: "this service" }],
    tags: ["orders", "drivers", "zones", "phones", "fleet", "health", "documents", "dev"].map((
      name,
    ) => ({
      name,
    })),
    paths,
    components: {
      securitySchemes: {
        bearer: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "JWT",
          description: "HS256 JWT signed with `JWT_SECRET`; claims `sub` (the id), `role` " +
            "(`driver`, `customer`, `restaurant`, `ops`, `dispatcher`, or `share` with `jti` for a " +
            "share link) and `exp` (required). REST routes take " +
            "it only from `Authorization`; `?token=` is refused (401 `token_in_query`).",
        },
        metricsToken: {
          type: "http",
          scheme: "bearer",
          description: "`METRICS_TOKEN`, when the service is configured with one.",
        },
      },
      schemas: { ApiError: jsonSchema(apiErrorBodySchema()) },
    },
  };
}

/** A hono path (`/orders/:id`) in OpenAPI's syntax (`/orders/{id}`). */
export function openApiPath(honoPath: string): string {
  return honoPath.replace(/:(\w+)/g, "{$1}");
}

/** One operation of the document: tags, summary, security, parameters, body and responses. */
function _operation(op: RestOperation): Json {
  const pathParams = [...op.path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
  const parameters = _parameters(op, pathParams);
  const responses = _responses(op, pathParams.length > 0);
  const description = [op.description, op.roles && `Roles: ${op.roles.join(", ")}.`]
    .filter(Boolean).join(" ");
  const security = op.auth === "bearer"
    ? [{ bearer: [] }]
    : op.auth === "metrics"
    ? [{}, { metricsToken: [] }]
    : [];
  return {
    tags: [op.tag],
    summary: op.summary,
    ...(description ? { description } : {}),
    operationId: _operationId(op),
    ...(op.roles ? { "x-roles": op.roles } : {}),
    security,
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(op.body
      ? {
        requestBody: {
          required: true,
          content: { "application/json": { schema: jsonSchema(op.body, { io: "input" }) } },
        },
      }
      : {}),
    responses,
  };
}

/** The path parameters (ids) and query parameters of an operation. */
function _parameters(op: RestOperation, pathParams: readonly string[]): Json[] {
  return [
    ...pathParams.map((name) => ({
      name,
      in: "path",
      required: true,
      schema: jsonSchema(idSchema, { io: "input" }),
    })),
    ...Object.entries(op.query?.shape ?? {}).map(([name, schema]) => {
      const { description, ...rest } = jsonSchema(schema, { io: "input" });
      return {
        name,
        in: "query",
        required: !schema.safeParse(undefined).success,
        ...(description === undefined ? {} : { description }),
        schema: rest,
      };
    }),
  ];
}

/** The answers of an operation by status, then its errors (`ApiError` with its codes). */
function _responses(op: RestOperation, hasPathIds: boolean): Json {
  const responses: Json = {};
  for (const [status, answer] of Object.entries(op.answers)) {
    const content: Json = answer.schema
      ? { "application/json": { schema: jsonSchema(answer.schema) } }
      : { [answer.text ?? "text/plain"]: { schema: { type: "string" } } };
    for (const [type, schema] of Object.entries(answer.also ?? {})) {
      content[type] = { schema: schema === null ? { type: "string" } : jsonSchema(schema) };
    }
    responses[status] = { description: answer.description, content };
  }
  for (const [status, codes] of Object.entries(_errors(op, hasPathIds))) {
    responses[status] = {
      description: `${_STATUS_TEXT[Number(status)] ?? "Error"}: ${codes.join(", ")}`,
      ...(status === "401" && op.auth !== "none"
        ? { headers: { "WWW-Authenticate": { schema: { type: "string" } } } }
        : {}),
      ...(status === "429" || status === "503"
        ? { headers: { "Retry-After": { schema: { type: "integer" } } } }
        : {}),
      content: {
        "application/json": { schema: jsonSchema(apiErrorBodySchema(codes)) },
      },
    };
  }
  return responses;
}

/** `postOrdersIdAssign` for `POST /orders/:id/assign`. */
function _operationId(op: RestOperation): string {
  return op.method + op.path.replace(/[^a-zA-Z]+(\w)?/g, (_, c) => (c ?? "").toUpperCase());
}

/** The error codes of an operation by status: its own, and those of every route of its kind. */
function _errors(op: RestOperation, hasPathIds: boolean): Record<number, [string, ...string[]]> {
  const out: Record<number, Set<string>> = {};
  const add = (status: number, ...codes: string[]) => {
    for (const code of codes) (out[status] ??= new Set()).add(code);
  };
  if (hasPathIds) add(400, "invalid_id");
  if (op.body) add(400, "invalid_json", "invalid_body");
  if (op.auth === "bearer") {
    add(401, ...AUTH_FAILURES);
    add(403, "forbidden");
  }
  for (const [status, codes] of Object.entries(op.errors ?? {})) add(Number(status), ...codes);
  if (op.method === "post") add(413, "body_too_large");
  add(500, "internal");
  return Object.fromEntries(
    Object.entries(out).map(([status, codes]) => [status, [...codes] as [string, ...string[]]]),
  );
}
