import { HTTPException } from "hono/http-exception";
import { z } from "zod";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/**
 * The one shape of every HTTP error body, `{"error":{"code","message","field"}}`, with `code`
 * one of `codes` (any string when none are given). The OpenAPI document is built from it.
 */
export function apiErrorBodySchema(codes?: readonly [string, ...string[]]) {
  return z.object({
    error: z.object({
      code: (codes ? z.enum(codes) : z.string())
        .meta({ description: "Stable, machine-readable; `docs/errors.md` lists them." }),
      message: z.string().meta({ description: "For people; names the field when one is wrong." }),
      field: z.string().optional().meta({
        description: "The request field at fault (`from`, `pickup.lat`, `sub`), when there is one.",
      }),
    }),
  });
}

/** The one shape of every HTTP error body: `{"error":{"code","message","field"}}`. */
export type ApiErrorBody = Readonly<z.infer<ReturnType<typeof apiErrorBodySchema>>>;

/** Options of {@linkcode apiError}. */
export interface ApiErrorOptions {
  /** The request field at fault. */
  readonly field?: string | undefined;
  /** Extra response headers (`WWW-Authenticate`, `Allow`). */
  readonly headers?: Record<string, string> | undefined;
}

/** The JSON response of an API error. */
export function errorResponse(
  status: ContentfulStatusCode,
  code: string,
  message: string,
  options: ApiErrorOptions = {},
): Response {
  const body: ApiErrorBody = {
    error: { code, message, ...(options.field === undefined ? {} : { field: options.field }) },
  };
  return Response.json(body, { status, headers: options.headers ?? {} });
}

/**
 * An `HTTPException` whose response is the API error shape: throw it from any handler or
 * middleware; hono's default error handler and {@linkcode handleApiErrors} both answer with it.
 *
 * @example
 * ```ts
 * throw apiError(400, "invalid_id", "id must not contain control characters", { field: "id" });
 * ```
 */
export function apiError(
  status: ContentfulStatusCode,
  code: string,
  message: string,
  options: ApiErrorOptions = {},
): HTTPException {
  return new HTTPException(status, {
    message,
    res: errorResponse(status, code, message, options),
  });
}

export { zodProblem } from "../domain/zod_problem.ts";
