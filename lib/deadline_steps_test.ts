import assert from "node:assert/strict";
import { stepsWithin } from "./deadline_steps.ts";

Deno.test("stepsWithin leaves a step behind at the deadline and still runs the next, with its floor", async () => {
  const step = stepsWithin(50);
  const ran: string[] = [];
  let release: () => void = () => {};
  const hung = new Promise<void>((r) => release = r);
  const started = Date.now();
  await step("hangs", () => hung);
  assert.ok(Date.now() - started < 1_000, "left behind at the deadline");
  await step("after the deadline", () => (ran.push("after"), Promise.resolve()), 100);
  await step("fails", () => Promise.reject(new Error("boom")));
  await step("last", () => (ran.push("last"), Promise.resolve()), 100);
  assert.deepEqual(ran, ["after", "last"]);
  release();
});
