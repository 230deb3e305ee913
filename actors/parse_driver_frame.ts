import { type DriverFrame, driverFrameSchema } from "./driver_protocol.ts";
import type { ErrorCode } from "../domain/error_codes.ts";
import { zodProblem } from "../domain/zod_problem.ts";

/**
 * A driver's text frame as a {@linkcode DriverFrame}, or why it is refused: `invalid_json`,
 * `unknown_type` (a `type` other than `location`, `locations`, `order`), or `invalid_frame` with
 * the first problem the schema found.
 */
export function parseDriverFrame(text: string): DriverFrame | { code: ErrorCode; message: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { code: "invalid_json", message: "the frame is not valid JSON" };
  }
  const type = (json as { type?: unknown } | null)?.type;
  if (!["location", "locations", "order"].includes(type as string)) {
    return { code: "unknown_type", message: `unknown frame type ${JSON.stringify(type ?? null)}` };
  }
  const parsed = driverFrameSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  return { code: "invalid_frame", message: zodProblem(parsed.error, json).message };
}
