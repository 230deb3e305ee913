import assert from "node:assert/strict";
import { startService } from "../service.ts";
import { cleanupRun, runId, testConfig, token, within } from "./_support.ts";
import { openWs, sendFragments, socketOf } from "./_ws_node_client.ts";

// The edge of the socket layer on the real service (issue 19, items 4, 5 and 9).

async function _order(base: string, run: string): Promise<string> {
  const response = await fetch(`${base}/orders`, {
    method: "POST",
    headers: {
      Authorization: `Bearer ${await token("ops", `ops-${run}`)}`,
      "content-type": "application/json",
    },
    body: JSON.stringify({
      restaurantId: `r-${run}`,
      customerId: `c-${run}`,
      pickup: { lat: 12.95, lon: 77.6 },
      dropoff: { lat: 12.97, lon: 77.6 },
    }),
  });
  assert.equal(response.status, 201);
  return (await response.json()).id;
}

Deno.test("a socket message split into 1 MiB fragments is cut at 64 KiB while it is read, on every socket kind", async () => {
  const run = runId();
  const service = await startService(testConfig(run));
  const base = `127.0.0.1:${service.port}`;
  try {
    const orderId = await _order(`http://${base}`, run);
    const kinds = {
      driver: `ws://${base}/ws/driver?token=${await token("driver", `big-${run}`)}`,
      order: `ws://${base}/ws/orders/${orderId}?token=${await token("customer", `c-${run}`)}`,
      restaurant: `ws://${base}/ws/restaurants/r-${run}?token=${await token(
        "restaurant",
        `r-${run}`,
      )}`,
      fleet: `ws://${base}/ws/fleet?token=${await token("ops", `fleet-${run}`)}`,
    };
    for (const [kind, url] of Object.entries(kinds)) {
      const ws = socketOf(await openWs(url));
      const { written, code } = await sendFragments(ws, { bytes: 1 << 20, fragments: 64 });
      assert.equal(code, 1009, `${kind}: closed as too large`);
      // Deno's own WebSocket read all 64 MiB before any check could run.
      // What the kernel buffers on loopback (a few MiB) is written before the close arrives.
      assert.ok(written < 32, `${kind}: closed after ${written} of 64 fragments`);
    }
    // The service goes on serving sockets.
    const driver = socketOf(await openWs(kinds.driver));
    const ack = new Promise<string>((resolve) => driver.once("message", (d) => resolve(String(d))));
    const ts = Date.now() - 1_000;
    driver.send(JSON.stringify({ type: "location", lat: 12.95, lon: 77.6, ts }));
    assert.deepEqual(JSON.parse(await ack), { type: "ack", ts });
    driver.close();
  } finally {
    await service.close();
    await cleanupRun(run);
  }
});

Deno.test("/ws/fleet sockets count against the socket limits like every other socket", async () => {
  const run = runId();
  const service = await startService(testConfig(run, { MAX_SOCKETS_PER_OPS: "3" }));
  const base = `127.0.0.1:${service.port}`;
  const url = `ws://${base}/ws/fleet?token=${await token("ops", `fleet-${run}`)}`;
  const open = [];
  try {
    for (let i = 0; i < 3; i++) open.push(socketOf(await openWs(url)));
    const refused = await openWs(url);
    assert.ok("status" in refused, "the fourth fleet socket is refused");
    assert.equal(refused.status, 429);
    assert.equal(JSON.parse(refused.body).error.code, "too_many_sockets");
    const metrics = await (await fetch(`http://${base}/metrics`)).text();
    assert.match(metrics, /tracking_open_sockets\{[^}]*route="fleet"[^}]*\} 3/);
  } finally {
    for (const ws of open) ws.close();
    await service.close();
    await cleanupRun(run);
  }
});

/** Resolves when the server closes `conn` (a read of end of file, or a reset). */
async function _closedByServer(conn: Deno.Conn): Promise<string> {
  const buffer = new Uint8Array(1024);
  let text = "";
  try {
    for (let n = await conn.read(buffer); n !== null; n = await conn.read(buffer)) {
      text += new TextDecoder().decode(buffer.subarray(0, n));
    }
  } catch { /* reset */ }
  return text;
}

Deno.test("slow-header and silent connections are cut after HTTP_HEADERS_TIMEOUT_MS; sockets stay", async () => {
  const run = runId();
  const service = await startService(testConfig(run, { HTTP_HEADERS_TIMEOUT_MS: "1000" }));
  const port = service.port;
  const slow = await Deno.connect({ hostname: "127.0.0.1", port });
  const silent = await Deno.connect({ hostname: "127.0.0.1", port });
  const driver = socketOf(
    await openWs(`ws://127.0.0.1:${port}/ws/driver?token=${await token("driver", `d-${run}`)}`),
  );
  let trickle: ReturnType<typeof setInterval> | undefined;
  try {
    const encoder = new TextEncoder();
    await slow.write(encoder.encode("GET /healthz HTTP/1.1\r\nHost: x\r\n"));
    trickle = setInterval(() => slow.write(encoder.encode("X-Slow: 1\r\n")).catch(() => {}), 200);
    let answer = "";
    const cut = Promise.all([_closedByServer(slow), _closedByServer(silent)]).then(([text]) => {
      answer = text;
    });
    // Deno.serve kept both open for good (the old edge's behaviour): bounded here.
    await within(cut, 10_000, "the server to cut both connections");
    assert.match(answer, /^(HTTP\/1\.1 408|)/);
    // A WebSocket is past its headers: it stays open and is served.
    const ack = new Promise<string>((resolve) => driver.once("message", (d) => resolve(String(d))));
    const ts = Date.now() - 1_000;
    driver.send(JSON.stringify({ type: "location", lat: 12.95, lon: 77.6, ts }));
    assert.deepEqual(JSON.parse(await ack), { type: "ack", ts });
  } finally {
    clearInterval(trickle);
    for (const conn of [slow, silent]) {
      try {
        conn.close();
      } catch { /* closed */ }
    }
    driver.close();
    await service.close();
    await cleanupRun(run);
  }
});
