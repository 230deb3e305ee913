import assert from "node:assert/strict";
import { startService } from "../service.ts";
import { cleanupRun, eventually, runId, testConfig, token } from "./_support.ts";

// The REST rate limit of docs/limits.md through the real service (Kafka + PostgreSQL): one
// restaurant token floods POST /orders for someone else's customer id (issue 19: 4,000 orders,
// each a live order actor, in 7 s).

const ORDER = { pickup: { lat: 12.93, lon: 77.6 }, dropoff: { lat: 12.95, lon: 77.6 } };

Deno.test("REST writes: a restaurant flooding POST /orders gets 429 rate_limited past its budget; other users are unaffected; no order actor lingers", async () => {
  const run = runId();
  const service = await startService(
    testConfig(run, { REST_WRITES_PER_SEC: "5", REST_WRITES_BURST: "20" }),
  );
  const base = `http://127.0.0.1:${service.port}`;
  const as = async (role: string, sub: string) => ({
    Authorization: `Bearer ${await token(role, sub)}`,
    "content-type": "application/json",
  });
  const create = async (headers: Record<string, string>, restaurantId: string) => {
    const res = await fetch(`${base}/orders`, {
      method: "POST",
      headers,
      body: JSON.stringify({ restaurantId, customerId: `victim-${run}`, ...ORDER }),
    });
    return {
      status: res.status,
      retryAfter: res.headers.get("Retry-After"),
      body: await res.json(),
    };
  };
  try {
    const flooder = await as("restaurant", `r-${run}`);
    const started = performance.now();
    const answers = await Promise.all(
      Array.from({ length: 200 }, () => create(flooder, `r-${run}`)),
    );
    const seconds = (performance.now() - started) / 1000;
    const created = answers.filter((a) => a.status === 201).length;
    const refused = answers.filter((a) => a.status === 429);
    assert.equal(created + refused.length, 200, JSON.stringify(answers.map((a) => a.status)));
    assert.ok(created >= 20, `the burst is served: ${created}`);
    assert.ok(created <= 20 + Math.ceil(5 * seconds) + 1, `${created} created in ${seconds} s`);
    assert.equal(refused[0]!.body.error.code, "rate_limited");
    assert.equal(refused[0]!.retryAfter, "1");

    // Another restaurant creates, the victim customer reads its order: neither is limited.
    const other = await create(await as("restaurant", `r2-${run}`), `r2-${run}`);
    assert.equal(other.status, 201);
    const read = await fetch(`${base}/orders/${other.body.id}`, {
      headers: await as("customer", `victim-${run}`),
    });
    assert.equal(read.status, 200);
    await read.body?.cancel();

    const metrics = async () => await (await fetch(`${base}/metrics`)).text();
    assert.match(await metrics(), /tracking_limit_refusals_total\{reason="rate_limited"\} [1-9]/);
    // Order actors without viewers stop once they have answered: the flood leaves none behind.
    await eventually(
      "no live order actor",
      async () => /tracking_actors\{kind="order",metric="live"\} 0\b/.test(await metrics()),
    );
  } finally {
    await service.close();
    await cleanupRun(run);
  }
});
