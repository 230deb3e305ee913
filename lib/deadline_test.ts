import assert from "node:assert/strict";
import { deadline, isDeadlineError } from "./deadline.ts";

Deno.test("deadline passes the answer through when it comes in time", async () => {
  assert.equal(await deadline(Promise.resolve(7), 1_000), 7);
  await assert.rejects(deadline(Promise.reject(new Error("refused")), 1_000), /refused/);
});

Deno.test("deadline rejects with a TimeoutError saying how long it waited", async () => {
  const never = new Promise<never>(() => {});
  const error = await deadline(never, 20).catch((e) => e);
  assert.ok(isDeadlineError(error));
  assert.equal(error.message, "no answer within 0.02 s");
  assert.equal(isDeadlineError(new Error("no answer")), false);
});

Deno.test("deadline refuses a negative or missing time", () => {
  assert.throws(() => deadline(Promise.resolve(), -1), RangeError);
  assert.throws(() => deadline(Promise.resolve(), NaN), RangeError);
});
