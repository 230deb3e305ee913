import assert from "node:assert/strict";
import { sign } from "hono/jwt";
import { startService } from "../service.ts";
import { cleanupRun, runId, SECRET, testConfig, token, within } from "./_support.ts";
import { DriverClient, track } from "./_driver_client.ts";

Deno.test("driver socket: auth, role, oversized and binary frames are refused without disturbing others", async () => {
  const run = runId();
  const service = await startService(testConfig(run));
  const base = `127.0.0.1:${service.port}`;
  const url = `ws://${base}/ws/driver`;
  const clients: DriverClient[] = [];
  try {
    const anonymous = await fetch(`http://${base}/ws/driver`, {
      headers: { Upgrade: "websocket" },
    });
    assert.equal(anonymous.status, 401);
    await anonymous.body?.cancel();
    const customer = await fetch(
      `http://${base}/ws/driver?token=${await token("customer", "c1")}`,
      {
        headers: { Upgrade: "websocket" },
      },
    );
    assert.equal(customer.status, 403);
    await customer.body?.cancel();

    const big = new DriverClient(url, await token("driver", `big-${run}`));
    const neighbour = new DriverClient(url, await token("driver", `ok-${run}`));
    clients.push(big, neighbour);
    await big.connect();
    await neighbour.connect();
    big.sendText(
      JSON.stringify({
        type: "location",
        lat: 12.9,
        lon: 77.6,
        ts: Date.now(),
        pad: "x".repeat(70_000),
      }),
    );
    await big.closed;
    // Refused while it is read, before it is assembled: a close 1009 and no error frame.
    assert.equal(big.closeCode, 1009);
    assert.deepEqual(big.errors.map((e) => e.code), []);

    neighbour.sendBinary(new Uint8Array([1, 2, 3]));
    const ts = Date.now() - 1000;
    neighbour.sendText(JSON.stringify({ type: "location", lat: 12.9, lon: 77.6, ts }));
    const deadline = Date.now() + 10_000;
    while (neighbour.ackedTs !== ts && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(neighbour.ackedTs, ts, "the other driver is served as usual");
    assert.ok(neighbour.open);
    assert.deepEqual(neighbour.errors.map((e) => e.code), ["invalid_frame"]);
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    await service.close();
    await cleanupRun(run);
  }
});

Deno.test("driver socket: a disallowed Origin gets 403 before the upgrade, an allowed one connects", async () => {
  const run = runId();
  const service = await startService(testConfig(run, { ALLOWED_ORIGINS: "https://app.example" }));
  const base = `127.0.0.1:${service.port}`;
  const driver = `origin-${run}`;
  const allowed = new DriverClient(`ws://${base}/ws/driver`, await token("driver", driver), {
    headers: { Origin: "https://app.example" },
  });
  try {
    const refused = await fetch(`http://${base}/ws/driver`, {
      headers: {
        ..._upgradeHeaders(),
        Origin: "https://evil.example",
        Authorization: `Bearer ${await token("driver", driver)}`,
      },
    });
    assert.equal(refused.status, 403);
    assert.match((await refused.json()).error.message, /evil\.example/);

    await allowed.connect();
    const ts = Date.now() - 1000;
    allowed.send({ lat: 12.9, lon: 77.6, ts });
    await _until("the allowed origin's fix is acked", () => allowed.ackedTs === ts);
    assert.deepEqual(allowed.errors, []);
  } finally {
    await allowed.close();
    await service.close();
    await cleanupRun(run);
  }
});

Deno.test("driver socket: a flood gets rate_limited errors then close 4029, a neighbour keeps its acks", async () => {
  const run = runId();
  const burst = 5;
  // One token a second: no refill can land while a burst of frames is in flight.
  const service = await startService(
    testConfig(run, { SOCKET_RATE_PER_SEC: "1", SOCKET_RATE_BURST: String(burst) }),
  );
  const url = `ws://127.0.0.1:${service.port}/ws/driver`;
  const flooder = new DriverClient(url, await token("driver", `flood-${run}`));
  const relentless = new DriverClient(url, await token("driver", `relentless-${run}`));
  const neighbour = new DriverClient(url, await token("driver", `calm-${run}`));
  try {
    await Promise.all([flooder.connect(), relentless.connect(), neighbour.connect()]);
    const [first, second] = track({ lat: 12.9, lon: 77.6, ts: Date.now() - 60_000 }, 2);
    neighbour.send(first!);
    await _until("the neighbour's first fix is acked", () => neighbour.ackedTs === first!.ts);

    // burst allowed, burst dropped with an error each, and one more: abuse.
    const start = Date.now() - 200_000;
    for (const fix of track({ lat: 13.0, lon: 77.5, ts: start }, 2 * burst + 1)) flooder.send(fix);
    await within(flooder.closed, 10_000, "the flooder to be closed");
    assert.equal(flooder.closeCode, 4029);
    const codes = flooder.errors.map((e) => e.code).filter((c) => c === "rate_limited");
    assert.equal(codes.length, burst, "one rate_limited error per dropped frame");

    // Deno's server drops a socket it closed as soon as another frame arrives, before the close
    // frame goes out: a client that never stops sending is cut off without seeing 4029.
    for (const fix of track({ lat: 13.1, lon: 77.4, ts: start }, 500)) relentless.send(fix);
    await within(relentless.closed, 10_000, "the relentless flooder to be cut off");
    assert.ok(!relentless.open);
    assert.ok(relentless.errors.some((e) => e.code === "rate_limited"));

    neighbour.send(second!);
    await _until("the neighbour's second fix is acked", () => neighbour.ackedTs === second!.ts);
    assert.ok(neighbour.open, "the neighbour stays connected");
    assert.deepEqual(neighbour.errors, []);
  } finally {
    await Promise.all([flooder.close(), relentless.close(), neighbour.close()]);
    await service.close();
    await cleanupRun(run);
  }
});

Deno.test("driver socket: a token that expires while connected closes the socket with 4001", async () => {
  const run = runId();
  const service = await startService(testConfig(run));
  const base = `127.0.0.1:${service.port}`;
  const driver = `expiring-${run}`;
  const now = Math.floor(Date.now() / 1000);
  const expired = await sign({ sub: driver, role: "driver", exp: now - 1 }, SECRET, "HS256");
  const exp = now + 2;
  const expiring = await sign({ sub: driver, role: "driver", exp }, SECRET, "HS256");
  const client = new DriverClient(`ws://${base}/ws/driver`, expiring);
  try {
    const stale = await fetch(`http://${base}/ws/driver?token=${expired}`, {
      headers: _upgradeHeaders(),
    });
    assert.equal(stale.status, 401, "an already expired token is refused before the upgrade");
    await stale.body?.cancel();

    await client.connect();
    const ts = Date.now() - 1000;
    client.send({ lat: 12.9, lon: 77.6, ts });
    await _until("the fix is acked before expiry", () => client.ackedTs === ts);
    assert.ok(client.open);
    await within(client.closed, 10_000, "the socket to close at exp");
    assert.equal(client.closeCode, 4001);
    assert.ok(Date.now() >= exp * 1000, "not closed before exp");
  } finally {
    await client.close();
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

async function _until(what: string, check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
