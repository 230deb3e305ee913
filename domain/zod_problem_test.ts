import assert from "node:assert/strict";
import { z } from "zod";
import { zodProblem } from "./zod_problem.ts";

const schema = z.object({
  name: z.string().min(2).max(4),
  point: z.object({ lat: z.number().min(-90).max(90) }),
  kind: z.enum(["a", "b"]),
  tags: z.array(z.string()).max(1).optional(),
});
const good = { name: "abc", point: { lat: 1 }, kind: "a" };

function _problem(value: unknown) {
  const parsed = schema.safeParse(value);
  assert.equal(parsed.success, false);
  return zodProblem(parsed.error!, value);
}

Deno.test("zodProblem names the field and says what is wrong in plain words", () => {
  assert.deepEqual(_problem({ ...good, name: undefined }), {
    field: "name",
    message: "name is required",
  });
  assert.equal(_problem({ ...good, name: 7 }).message, "name must be a string");
  assert.equal(_problem({ ...good, name: "a" }).message, "name must be at least 2 characters");
  assert.equal(_problem({ ...good, name: "abcde" }).message, "name must be at most 4 characters");
  assert.deepEqual(_problem({ ...good, point: { lat: 91 } }), {
    field: "point.lat",
    message: "point.lat must be at most 90",
  });
  assert.equal(_problem({ ...good, kind: "c" }).message, 'kind must be one of "a", "b"');
  assert.equal(_problem({ ...good, tags: ["x", "y"] }).message, "tags must have at most 1 items");
});

Deno.test("zodProblem without a path speaks of the input", () => {
  assert.deepEqual(_problem(undefined), { field: undefined, message: "the input is required" });
  assert.equal(_problem([]).message, "the input must be an object");
});

Deno.test("zodProblem says a field a custom check refuses is required when it is missing", () => {
  const custom = z.object({
    lat: z.custom<number>((v) => typeof v === "number", "must be a number"),
  });
  const missing = custom.safeParse({ latitude: 1 });
  assert.equal(zodProblem(missing.error!, { latitude: 1 }).message, "lat is required");
  const wrong = custom.safeParse({ lat: "1" });
  assert.equal(zodProblem(wrong.error!, { lat: "1" }).message, "lat must be a number");
});
