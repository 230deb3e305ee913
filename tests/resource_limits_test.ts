import assert from "node:assert/strict";
import { startService } from "../service.ts";
import { CLOSE_CODES } from "../domain/close_codes.ts";
import { cleanupRun, eventually, runId, testConfig, token, within } from "./_support.ts";
import { DriverClient, track } from "./_driver_client.ts";
import { WsClient } from "./_ws_client.ts";

// The resource limits of docs/limits.md through the real service (Kafka + PostgreSQL). Refused
// socket handshakes are observed with `fetch` and upgrade headers, so the status is visible.

const ORDER = { pickup: { lat: 12.93, lon: 77.6 }, dropoff: { lat: 12.95, lon: 77.6 } };

Deno.test("HTTP bodies: POST /orders over MAX_BODY_BYTES gets 413 body_too_large, chunked or not; a small one 201", async () => {
  const run = runId();
  const service = await startService(testConfig(run, { MAX_BODY_BYTES: "65536" }));
  const base = `http://127.0.0.1:${service.port}`;
  const headers = {
    Authorization: `Bearer ${await token("ops", `ops-${run}`)}`,
    "content-type": "application/json",
  };
  // A valid order padded with whitespace past 64 KiB: without the limit it is created (201).
  const order = JSON.stringify({ restaurantId: `r-${run}`, customerId: `c-${run}`, ...ORDER });
  const padded = order + " ".repeat(70_000);
  try {
    const declared = await fetch(`${base}/orders`, { method: "POST", headers, body: padded });
    assert.equal(declared.status, 413);
    assert.equal((await declared.json()).error.code, "body_too_large");

    // No Content-Length: a stream is sent chunked, 16 KiB at a time, up to 64 MiB. The answer
    // comes long before the client could send it all: the server stopped reading at the limit.
    const chunk = new TextEncoder().encode(" ".repeat(16 * 1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(order));
      },
      pull(controller) {
        if (sent++ === 4096) return controller.close();
        controller.enqueue(chunk);
      },
    });
    const chunked = await fetch(`${base}/orders`, { method: "POST", headers, body });
    assert.equal(chunked.status, 413);
    assert.equal((await chunked.json()).error.code, "body_too_large");
    assert.ok(sent < 1024, `answered after ${sent} of 4,096 chunks were pulled`);
    await body.cancel().catch(() => {});

    const assign = await fetch(`${base}/orders/x-${run}/assign`, {
      method: "POST",
      headers,
      body: JSON.stringify({ driverId: "d".repeat(70_000) }),
    });
    assert.equal(assign.status, 413, "every route with a body is limited");
    await assign.body?.cancel();

    const small = await fetch(`${base}/orders`, { method: "POST", headers, body: order });
    assert.equal(small.status, 201);
    await small.body?.cancel();
  } finally {
    await service.close();
    await cleanupRun(run);
  }
});

Deno.test("driver socket: a second socket of the same driver replaces the first (4009) and gets the acks", async () => {
  const run = runId();
  const service = await startService(testConfig(run));
  const url = `ws://127.0.0.1:${service.port}/ws/driver`;
  const driver = `dup-${run}`;
  const first = new DriverClient(url, await token("driver", driver));
  const second = new DriverClient(url, await token("driver", driver));
  try {
    await first.connect();
    const [a, b] = track({ lat: 12.9, lon: 77.6, ts: Date.now() - 60_000 }, 2);
    first.send(a!);
    await eventually("the first socket's ack", () => Promise.resolve(first.ackedTs === a!.ts));
    await second.connect();
    await within(first.closed, 10_000, "the first socket to be replaced");
    assert.equal(first.closeCode, CLOSE_CODES.replaced);
    second.send(b!);
    await eventually("the second socket's ack", () => Promise.resolve(second.ackedTs === b!.ts));
    assert.ok(second.open);
  } finally {
    await Promise.all([first.close(), second.close()]);
    await service.close();
    await cleanupRun(run);
  }
});

Deno.test("driver socket: the rate limit holds per driver, across a reconnect", async () => {
  const run = runId();
  const burst = 5;
  // One token a second: no refill lands while the test runs its burst and reconnects.
  const service = await startService(
    testConfig(run, { SOCKET_RATE_PER_SEC: "1", SOCKET_RATE_BURST: String(burst) }),
  );
  const url = `ws://127.0.0.1:${service.port}/ws/driver`;
  const driver = `budget-${run}`;
  const first = new DriverClient(url, await token("driver", driver));
  const second = new DriverClient(url, await token("driver", driver));
  try {
    await first.connect();
    const fixes = track({ lat: 12.9, lon: 77.6, ts: Date.now() - 60_000 }, burst + 1);
    for (const fix of fixes.slice(0, burst)) first.send(fix);
    const last = fixes[burst - 1]!.ts;
    await eventually("the burst to be acked", () => Promise.resolve(first.ackedTs === last));
    await second.connect();
    await within(first.closed, 10_000, "the first socket to be replaced");
    second.send(fixes[burst]!);
    await eventually(
      "an answer on the new socket",
      () => Promise.resolve(second.errors.length > 0),
    );
    assert.deepEqual(second.errors.map((e) => e.code), ["rate_limited"]);
  } finally {
    await Promise.all([first.close(), second.close()]);
    await service.close();
    await cleanupRun(run);
  }
});

Deno.test("viewer sockets: past MAX_SOCKETS_PER_PRINCIPAL a customer gets 429 too_many_sockets; a closed one frees its place", async () => {
  const run = runId();
  const service = await startService(testConfig(run, { MAX_SOCKETS_PER_PRINCIPAL: "2" }));
  const base = `127.0.0.1:${service.port}`;
  const customer = `c-${run}`;
  const viewers: WsClient[] = [];
  try {
    const created = await fetch(`http://${base}/orders`, {
      method: "POST",
      headers: { Authorization: `Bearer ${await token("ops", `ops-${run}`)}` },
      body: JSON.stringify({ restaurantId: `r-${run}`, customerId: customer, ...ORDER }),
    });
    assert.equal(created.status, 201);
    const { id } = await created.json();
    const url = `ws://${base}/ws/orders/${id}`;
    const customerToken = await token("customer", customer);
    viewers.push(await WsClient.connect(url, customerToken));
    viewers.push(await WsClient.connect(url, customerToken));

    const refused = await fetch(`http://${base}/ws/orders/${id}?token=${customerToken}`, {
      headers: _upgradeHeaders(),
    });
    assert.equal(refused.status, 429);
    assert.equal((await refused.json()).error.code, "too_many_sockets");
    // Another principal (ops) is not affected.
    viewers.push(await WsClient.connect(url, await token("ops", `ops-${run}`)));

    await viewers[0]!.close();
    await eventually("the closed socket's place to be freed", async () => {
      try {
        viewers.push(await WsClient.connect(url, customerToken));
        return true;
      } catch {
        return false;
      }
    }, 10_000);
  } finally {
    await Promise.all(viewers.map((v) => v.close()));
    await service.close();
    await cleanupRun(run);
  }
});

Deno.test("sockets: past MAX_SOCKETS a new driver gets 503 server_at_capacity until one closes", async () => {
  const run = runId();
  const service = await startService(testConfig(run, { MAX_SOCKETS: "2" }));
  const base = `127.0.0.1:${service.port}`;
  const url = `ws://${base}/ws/driver`;
  const one = new DriverClient(url, await token("driver", `one-${run}`));
  const two = new DriverClient(url, await token("driver", `two-${run}`));
  const three = new DriverClient(url, await token("driver", `three-${run}`));
  try {
    await one.connect();
    await two.connect();
    const refused = await fetch(`http://${base}/ws/driver`, {
      headers: {
        ..._upgradeHeaders(),
        Authorization: `Bearer ${await token("driver", `three-${run}`)}`,
      },
    });
    assert.equal(refused.status, 503);
    assert.equal((await refused.json()).error.code, "server_at_capacity");
    const metrics = await (await fetch(`http://${base}/metrics`)).text();
    assert.match(metrics, /tracking_limit_refusals_total\{reason="server_at_capacity"\} 1/);
    await one.close();
    await eventually("a place to be freed", async () => {
      try {
        await three.connect();
        return true;
      } catch {
        return false;
      }
    }, 10_000);
    assert.ok(three.open);
  } finally {
    await Promise.all([one.close(), two.close(), three.close()]);
    await service.close();
    await cleanupRun(run);
  }
});

function _upgradeHeaders(): Record<string, string> {
  return {
    Upgrade: "websocket",
    Connection: "Upgrade",
    "Sec-WebSocket-Version": "13",
    "Sec-WebSocket-Key": btoa("0123456789abcdef"),
  };
}
