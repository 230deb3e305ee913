import assert from "node:assert/strict";
import { backoffDelay, retry, RetryError } from "./retry.ts";

Deno.test("backoffDelay doubles from minMs and stops at maxMs", () => {
  const options = { minMs: 100, maxMs: 1_000 };
  assert.deepEqual([1, 2, 3, 4, 5, 9].map((n) => backoffDelay(n, options)), [
    100,
    200,
    400,
    800,
    1_000,
    1_000,
  ]);
});

Deno.test("backoffDelay takes off at most the jitter share", () => {
  assert.equal(backoffDelay(3, { minMs: 100, jitter: 0.5 }, () => 1), 200);
  assert.equal(backoffDelay(3, { minMs: 100, jitter: 0.5 }, () => 0), 400);
  assert.throws(() => backoffDelay(0), RangeError);
});

Deno.test("retry resolves once an attempt succeeds, waiting the backoff between", async () => {
  const waits: number[] = [];
  const seen: number[] = [];
  const value = await retry(async (attempt) => {
    seen.push(attempt);
    if (attempt < 3) throw new Error(`fail ${attempt}`);
    return await Promise.resolve("ok");
  }, { minMs: 10, sleep: (ms) => (waits.push(ms), Promise.resolve()) });
  assert.equal(value, "ok");
  assert.deepEqual(seen, [1, 2, 3]);
  assert.deepEqual(waits, [10, 20]);
});

Deno.test("retry gives up with RetryError after maxAttempts, keeping the last error", async () => {
  let calls = 0;
  const error = await retry(() => Promise.reject(new Error(`no ${++calls}`)), {
    maxAttempts: 3,
    sleep: () => Promise.resolve(),
  }).catch((e) => e);
  assert.ok(error instanceof RetryError);
  assert.equal(error.attempts, 3);
  assert.equal((error.cause as Error).message, "no 3");
});

Deno.test("retry throws an error that is not retryable at once", async () => {
  let calls = 0;
  const fatal = new TypeError("fatal");
  await assert.rejects(
    retry(() => (calls++, Promise.reject(fatal)), {
      isRetryable: (e) => !(e instanceof TypeError),
      sleep: () => Promise.resolve(),
    }),
    fatal,
  );
  assert.equal(calls, 1);
});

Deno.test("retry stops waiting when its signal aborts", async () => {
  const controller = new AbortController();
  const pending = retry(() => Promise.reject(new Error("down")), {
    minMs: 60_000,
    signal: controller.signal,
  });
  setTimeout(() => controller.abort(new Error("shutting down")), 10);
  await assert.rejects(pending, /shutting down/);
});
