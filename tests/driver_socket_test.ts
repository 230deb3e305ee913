import assert from "node:assert/strict";
import { startService } from "../service.ts";
import { runId, testConfig, token } from "./_support.ts";
import { DriverClient } from "./_driver_client.ts";

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
    const customer = await fetch(`http://${base}/ws/driver?token=${await token("customer", "c1")}`);
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
    assert.equal(big.closeCode, 1009);
    assert.deepEqual(big.errors.map((e) => e.code), ["frame_too_large"]);

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
  }
});
