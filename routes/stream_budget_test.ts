import assert from "node:assert/strict";
import { HTTPException } from "hono/http-exception";
import { StreamBudget } from "./stream_budget.ts";
import { ndjsonStream } from "./ndjson_stream.ts";

const D1 = { role: "driver", sub: "d1" } as const;
const D2 = { role: "driver", sub: "d2" } as const;
const C1 = { role: "customer", sub: "d1" } as const;

/** Batches that never end, counting `return()` calls (a closed cursor). */
function _endless() {
  const state = { returned: 0 };
  const batches: AsyncIterator<number[]> = {
    next: () => Promise.resolve({ done: false, value: [1, 2, 3] }),
    return: () => (state.returned++, Promise.resolve({ done: true, value: undefined })),
  };
  return { batches, state };
}

async function _refusal(run: () => unknown) {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof HTTPException);
    const res = error.getResponse();
    return {
      status: res.status,
      retryAfter: res.headers.get("Retry-After"),
      body: await res.json(),
    };
  }
  assert.fail("not refused");
}

Deno.test("StreamBudget refuses a principal's stream past maxPerPrincipal with 429 too_many_streams and Retry-After", async () => {
  const budget = new StreamBudget({ max: 10, maxPerPrincipal: 2 });
  const leases = [budget.admit(D1), budget.admit(D1)];
  const refused = await _refusal(() => budget.admit(D1));
  assert.deepEqual(refused.status, 429);
  assert.equal(refused.retryAfter, "5");
  assert.equal(refused.body.error.code, "too_many_streams");
  assert.match(refused.body.error.message, /at most 2 streams/);
  // Another principal, even one with the same sub, has its own share.
  budget.admit(D2).release();
  budget.admit(C1).release();
  leases[0]!.release();
  leases[0]!.release(); // twice frees one place only
  assert.equal(budget.size(D1), 1);
  budget.admit(D1);
  assert.equal(budget.size(), 2);
});

Deno.test("StreamBudget refuses any stream once the instance has max open, and admits again when one ends", async () => {
  const counted: string[] = [];
  const metrics = { limitRefusals: { inc: (l: { reason: string }) => counted.push(l.reason) } };
  // deno-lint-ignore no-explicit-any
  const budget = new StreamBudget({ max: 3, maxPerPrincipal: 2, metrics: metrics as any });
  const [a] = [budget.admit(D1), budget.admit(D1), budget.admit(D2)];
  const refused = await _refusal(() => budget.admit(C1));
  assert.equal(refused.body.error.code, "too_many_streams");
  assert.match(refused.body.error.message, /3 streams at once/);
  assert.deepEqual(counted, ["too_many_streams"]);
  a!.release();
  budget.admit(C1);
  assert.equal(budget.size(), 3);
});

Deno.test("StreamBudget.stream gives the place back once the stream is read to its end, or cancelled", async () => {
  const budget = new StreamBudget({ max: 1, maxPerPrincipal: 1 });
  const rows = [[1, 2], [3]][Symbol.iterator]();
  const done = budget.stream(
    D1,
    () => ({ next: () => Promise.resolve(rows.next()) }),
    ndjsonStream,
  );
  assert.equal(budget.size(), 1);
  assert.equal(await new Response(done).text(), "1\n2\n3\n");
  assert.equal(budget.size(), 0);

  const { batches, state } = _endless();
  const cancelled = budget.stream(D1, () => batches, ndjsonStream);
  const reader = cancelled.getReader();
  await reader.read();
  await reader.cancel();
  assert.deepEqual([budget.size(), state.returned], [0, 1]);
});

Deno.test("StreamBudget.stream never opens a cursor for a refused stream, and frees the place if opening fails", async () => {
  const budget = new StreamBudget({ max: 1, maxPerPrincipal: 1 });
  const { batches, state } = _endless();
  const held = budget.stream(D1, () => batches, ndjsonStream);
  let opened = 0;
  await _refusal(() => budget.stream(D2, () => (opened++, batches), ndjsonStream));
  assert.equal(opened, 0);
  await held.cancel();
  assert.throws(() =>
    budget.stream(D1, () => {
      throw new Error("no connection");
    }, ndjsonStream)
  );
  assert.deepEqual([budget.size(), state.returned], [0, 1]);
});

Deno.test("StreamBudget.stream ends a stream nobody reads after stallMs, closes its cursor and frees its place", async () => {
  const budget = new StreamBudget({ max: 1, maxPerPrincipal: 1, stallMs: 50 });
  const { batches, state } = _endless();
  const stalled = budget.stream(D1, () => batches, ndjsonStream);
  const reader = stalled.getReader();
  await reader.read(); // one chunk taken, then the reader stops
  await new Promise((r) => setTimeout(r, 150));
  assert.deepEqual([budget.size(), state.returned], [0, 1]);
  await assert.rejects(async () => {
    for (;;) if ((await reader.read()).done) break;
  }, /not read for 50 ms/);
});

Deno.test("StreamBudget.stream ends a stream read without pause once it is older than maxMs", async () => {
  const budget = new StreamBudget({ max: 1, maxPerPrincipal: 1, stallMs: 1_000, maxMs: 100 });
  const { batches, state } = _endless();
  const reader = budget.stream(D1, () => batches, ndjsonStream).getReader();
  let chunks = 0;
  await assert.rejects(async () => {
    for (;;) {
      if ((await reader.read()).done) break;
      chunks++;
      await new Promise((r) => setTimeout(r, 5));
    }
  }, /longer than 100 ms/);
  assert.ok(chunks > 3, `${chunks} chunks read`);
  assert.deepEqual([budget.size(), state.returned], [0, 1]);
});
