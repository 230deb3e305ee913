import type { z } from "zod";
import type { Role } from "../domain/roles.ts";

/** One REST operation as the OpenAPI document describes it; the schemas are the routes' own. */
export interface RestOperation {
  readonly method: "get" | "post" | "delete";
  /** In hono's syntax (`/orders/:id`), exactly as the route is registered. */
  readonly path: string;
  readonly tag:
    | "orders"
    | "drivers"
    | "zones"
    | "phones"
    | "fleet"
    | "health"
    | "dev"
    | "documents";
  readonly summary: string;
  readonly description?: string;
  /** `bearer`: a JWT of one of `roles`; `metrics`: `METRICS_TOKEN` when it is set. */
  readonly auth: "bearer" | "metrics" | "none";
  readonly roles?: readonly Role[];
  /** Query parameters: an object of strings, as the route reads them. */
  readonly query?: z.ZodObject;
  readonly body?: z.ZodType;
  /**
   * The answers that are not errors; `schema` absent means a `text` body. `also`: other media
   * types the same answer may have (`?format=`), with their schema, or `null` for text.
   */
  readonly answers: Readonly<
    Record<number, {
      description: string;
      schema?: z.ZodType;
      text?: string;
      also?: Readonly<Record<string, z.ZodType | null>>;
    }>
  >;
  /** Error codes by status, besides those every route of its kind has (see `openapi.ts`). */
  readonly errors?: Readonly<Record<number, readonly string[]>>;
  /** Listed only when the service runs with the dev secret. */
  readonly devOnly?: boolean;
}
