import type { Context } from "hono";
import type { z } from "zod";
import { apiError, zodProblem } from "./api_error.ts";

/**
 * Reads and validates a JSON request body. An empty or unparsable body is 400 `invalid_json`;
 * a body the schema refuses is 400 `invalid_body`, with the field at fault.
 */
export async function readJsonBody<T>(c: Context, schema: z.ZodType<T>): Promise<T> {
  const text = await c.req.text();
  if (text.trim() === "") {
    throw apiError(400, "invalid_json", "the request body is empty; send a JSON object");
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const detail = (error as Error).message;
    throw apiError(400, "invalid_json", `the request body is not valid JSON (${detail})`);
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const { field, message } = zodProblem(parsed.error, value);
  throw apiError(400, "invalid_body", message, { field });
}
