import { type DriverFrame, driverFrameSchema } from "./driver_protocol.ts";
import type { ErrorCode } from "../domain/error_codes.ts";
import { zodProblem } from "../domain/zod_problem.ts";

const _FRAME_TYPES: ReadonlySet<unknown> = new Set(["location", "locations", "order"]);

/**
 * A driver's text frame as a {@linkcode DriverFrame}, or why it is refused: `invalid_json`,
 * `unknown_type` (a `type` other than `location`, `locations`, `order`), or `invalid_frame` with
 * the first problem the schema found.
 *
 * Every fix comes through here, so a well-formed `location` frame takes a plain check that
 * accepts exactly what `driverFrameSchema` accepts (`parse_driver_frame_test.ts` holds them to
 * that) and builds the same object; every other frame, and one that fails the check, goes through
 * zod. Measured: see docs/performance.md ("Cuts to the per-fix cost").
 */
export function parseDriverFrame(text: string): DriverFrame | { code: ErrorCode; message: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { code: "invalid_json", message: "the frame is not valid JSON" };
  }
  const type = (json as { type?: unknown } | null)?.type;
  if (!_FRAME_TYPES.has(type)) {
    return { code: "unknown_type", message: _unknownType(json, type) };
  }
  const fast = type === "location" ? _fastLocation(json as Record<string, unknown>) : undefined;
  if (fast) return fast;
  const parsed = driverFrameSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  return { code: "invalid_frame", message: zodProblem(parsed.error, json).message };
}

/** The `location` frame when `v` is a valid one (other keys are dropped, as zod does). */
function _fastLocation(v: Record<string, unknown>): DriverFrame | undefined {
  const { lat, lon, ts, speed, heading, accuracy } = v;
  if (
    typeof lat !== "number" || typeof lon !== "number" || typeof ts !== "number" ||
    !_optionalNumber(speed) || !_optionalNumber(heading) || !_optionalNumber(accuracy)
  ) return undefined;
  const frame: DriverFrame & { type: "location" } = { type: "location", lat, lon, ts };
  if (speed !== undefined) frame.speed = speed as number;
  if (heading !== undefined) frame.heading = heading as number;
  if (accuracy !== undefined) frame.accuracy = accuracy as number;
  return frame;
}

/** Why a frame's `type` is refused: missing (or not an object at all), or not one we know. */
function _unknownType(json: unknown, type: unknown): string {
  const expected = "expected location, locations or order";
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    return `the frame must be a JSON object with a type (${expected})`;
  }
  if (type === undefined) return `the frame has no type (${expected})`;
  return `unknown frame type ${JSON.stringify(type)} (${expected})`;
}

function _optionalNumber(v: unknown): boolean {
  return v === undefined || typeof v === "number";
}
