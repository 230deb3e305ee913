import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { z } from "zod";

/** The one shape of every HTTP error body: `{"error":{"code","message","field"}}`. */
export interface ApiErrorBody {
  readonly error: {
    /** Stable, machine-readable; `docs/errors.md` lists them. */
    readonly code: string;
    /** For people; names the field when one is wrong. */
    readonly message: string;
    /** The request field at fault (`from`, `pickup.lat`, `sub`), when there is one. */
    readonly field?: string;
  };
}

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

/**
 * The first problem of a zod error as a readable message naming the field (no zod wording
 * such as "Invalid input: expected object, received undefined").
 */
export function zodProblem(error: z.ZodError): { field: string | undefined; message: string } {
  const issue = error.issues[0];
  if (!issue) return { field: undefined, message: "invalid input" };
  const field = issue.path.length > 0 ? issue.path.map(String).join(".") : undefined;
  const name = field ?? "the body";
  return { field, message: `${name} ${_describe(issue)}` };
}

function _describe(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      return issue.input === undefined ? "is required" : `must be ${_article(issue.expected)}`;
    case "too_small":
      return issue.origin === "string"
        ? `must be at least ${issue.minimum} characters`
        : issue.origin === "array"
        ? `must have at least ${issue.minimum} items`
        : `must be at least ${issue.minimum}`;
    case "too_big":
      return issue.origin === "string"
        ? `must be at most ${issue.maximum} characters`
        : issue.origin === "array"
        ? `must have at most ${issue.maximum} items`
        : `must be at most ${issue.maximum}`;
    case "invalid_value":
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "unrecognized_keys":
      return `has unknown fields ${issue.keys.join(", ")}`;
    case "custom":
      return issue.message;
    default:
      return "is invalid";
  }
}

function _article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
