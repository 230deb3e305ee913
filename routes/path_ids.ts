import type { MiddlewareHandler } from "hono";
import { apiError } from "./api_error.ts";
import { idProblem } from "../domain/ids.ts";

/**
 * Refuses, with 400 `invalid_id`, a request whose decoded path has a segment that breaks the id
 * rule of `domain/ids.ts` (a NUL or other control character, over 128 characters, a bad
 * percent-encoding). Literal segments (`orders`, `ws`) always pass, so this checks every
 * path id of every route in one place, before any handler or store sees it.
 */
export function pathIds(): MiddlewareHandler {
  return async (c, next) => {
    for (const raw of c.req.path.split("/")) {
      if (raw === "") continue;
      let segment: string;
      try {
        segment = decodeURIComponent(raw);
      } catch {
        throw apiError(400, "invalid_id", `path segment ${raw} is not valid percent-encoding`);
      }
      const problem = idProblem(segment);
      if (problem) throw apiError(400, "invalid_id", `the id in the path ${problem}`);
    }
    await next();
  };
}
