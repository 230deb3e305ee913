import type { MiddlewareHandler } from "hono";
import { bodyLimit as honoBodyLimit } from "hono/body-limit";
import type { Metrics } from "../infra/metrics.ts";

/**
 * Refuses a request body over `maxBytes` with 413 and
 * `{"error":{"code":"body_too_large","message"}}`. A declared `Content-Length` over the limit is
 * refused before anything is read; a body without one (chunked) is read up to the limit and
 * refused as soon as it passes it, so no more than `maxBytes` of it is ever held. Requests
 * without a body pass untouched.
 *
 * @example
 * ```ts
 * app.use("*", bodyLimit(config.MAX_BODY_BYTES, { metrics }));
 * ```
 */
export function bodyLimit(
  maxBytes: number,
  options: { readonly metrics?: Pick<Metrics, "limitRefusals"> | undefined } = {},
): MiddlewareHandler {
  if (!(maxBytes >= 0) || !Number.isFinite(maxBytes)) {
    throw new RangeError(`maxBytes must be a non-negative number, got ${maxBytes}`);
  }
  return honoBodyLimit({
    maxSize: maxBytes,
    onError: (c) => {
      options.metrics?.limitRefusals.inc({ reason: "body_too_large" });
      return c.json({
        error: {
          code: "body_too_large",
          message: `request bodies are limited to ${maxBytes} bytes`,
        },
      }, 413);
    },
  });
}
