import assert from "node:assert/strict";
import { driverFrameSchema } from "./driver_protocol.ts";
import { parseDriverFrame } from "./parse_driver_frame.ts";
import { zodProblem } from "../domain/zod_problem.ts";

/** What the schema alone says of a frame whose type is known: the answer without the fast path. */
function _viaZod(text: string) {
  const json: unknown = JSON.parse(text);
  const parsed = driverFrameSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  return { code: "invalid_frame", message: zodProblem(parsed.error, json).message };
}

const VALUES: readonly unknown[] = [undefined, 12.5, -0, 0, 1e300, "12", null, true, {}, [1]];
const FIELDS = ["lat", "lon", "ts", "speed", "heading", "accuracy"] as const;

Deno.test("parseDriverFrame: a location frame gets exactly the schema's answer, whatever each field holds", () => {
  const base: Record<string, unknown> = { type: "location", lat: 48.1, lon: 11.5, ts: 1_700_000 };
  let checked = 0;
  for (const field of FIELDS) {
    for (const value of VALUES) {
      for (const extra of [{}, { note: "kept out", type: "location" }]) {
        const frame: Record<string, unknown> = { ...base, ...extra, [field]: value };
        if (value === undefined) delete frame[field];
        const text = JSON.stringify(frame);
        assert.deepEqual(parseDriverFrame(text), _viaZod(text), text);
        checked++;
      }
    }
  }
  assert.equal(checked, FIELDS.length * VALUES.length * 2);
});

Deno.test("parseDriverFrame: every optional field at once, and extra keys dropped", () => {
  const fix = { type: "location", lat: 1, lon: 2, ts: 3, speed: 4, heading: 5, accuracy: 6 };
  const text = JSON.stringify({ ...fix, battery: 0.5 });
  assert.deepEqual(parseDriverFrame(text), fix);
  assert.deepEqual(parseDriverFrame(text), _viaZod(text));
});

Deno.test("parseDriverFrame: other frames and refusals keep their answers", () => {
  assert.deepEqual(parseDriverFrame("{"), {
    code: "invalid_json",
    message: "the frame is not valid JSON",
  });
  assert.deepEqual(parseDriverFrame('{"type":"ping"}'), {
    code: "unknown_type",
    message: 'unknown frame type "ping" (expected location, locations or order)',
  });
  assert.deepEqual(parseDriverFrame("[]"), {
    code: "unknown_type",
    message: "the frame must be a JSON object with a type (expected location, locations or order)",
  });
  for (
    const text of [
      '{"type":"locations","points":[{"lat":1,"lon":2,"ts":3}]}',
      '{"type":"locations","points":[]}',
      '{"type":"order","orderId":"o1","event":"picked_up"}',
      '{"type":"order","orderId":"o1","event":"lost"}',
      '{"type":"location","lat":"1","lon":2,"ts":3}',
    ]
  ) {
    assert.deepEqual(parseDriverFrame(text), _viaZod(text), text);
  }
  const refused = parseDriverFrame('{"type":"location","lat":1,"lon":2}');
  assert.ok("code" in refused && refused.code === "invalid_frame", JSON.stringify(refused));
});

Deno.test("parseDriverFrame says a missing type or a missing field is missing", () => {
  assert.deepEqual(parseDriverFrame('{"lat":1,"lon":2,"ts":3}'), {
    code: "unknown_type",
    message: "the frame has no type (expected location, locations or order)",
  });
  assert.deepEqual(parseDriverFrame('{"type":null}'), {
    code: "unknown_type",
    message: "unknown frame type null (expected location, locations or order)",
  });
  assert.deepEqual(parseDriverFrame('{"type":"location","latitude":1,"lon":2,"ts":3}'), {
    code: "invalid_frame",
    message: "lat is required",
  });
  assert.deepEqual(parseDriverFrame('{"type":"location","lat":"1","lon":2,"ts":3}'), {
    code: "invalid_frame",
    message: "lat must be a number",
  });
});
