import assert from "node:assert/strict";
import { sign } from "hono/jwt";
import { startService } from "../service.ts";
import { connectPostgres } from "../infra/postgres/connect_postgres.ts";
import {
  cleanupRun,
  DATABASE_URL,
  eventually,
  runId,
  SECRET,
  testConfig,
  token,
} from "./_support.ts";
import { DriverClient } from "./_driver_client.ts";

// What an attacker and a new user sent, through the real service (Kafka + PostgreSQL): each is
// refused with its own code, and nothing reaches an actor or a column that cannot hold it.

const UPGRADE = {
  Upgrade: "websocket",
  Connection: "Upgrade",
  "Sec-WebSocket-Version": "13",
  "Sec-WebSocket-Key": btoa("0123456789abcdef"),
};

async function _json(res: Response) {
  return { status: res.status, body: await res.json() };
}

Deno.test("ids with control characters are refused on REST (400), socket tokens (401) and order frames", async () => {
  const run = runId();
  const service = await startService(testConfig(run));
  const base = `http://127.0.0.1:${service.port}`;
  const ops = { Authorization: `Bearer ${await token("ops", `ops-${run}`)}` };
  const client = new DriverClient(
    `ws://127.0.0.1:${service.port}/ws/driver`,
    await token("driver", `d-${run}`),
  );
  try {
    for (const path of ["/orders/o%00x", "/drivers/d%00x/history", "/drivers/d%00x/location"]) {
      const res = await _json(await fetch(`${base}${path}`, { headers: ops }));
      assert.equal(res.status, 400, path);
      assert.equal(res.body.error.code, "invalid_id", path);
    }
    const watch = await _json(
      await fetch(`${base}/ws/orders/o%00x`, { headers: { ...UPGRADE, ...ops } }),
    );
    assert.equal(watch.status, 400);
    assert.equal(watch.body.error.code, "invalid_id");

    const exp = Math.floor(Date.now() / 1000) + 600;
    const nulSub = await sign({ sub: `d\u0000${run}`, role: "driver", exp }, SECRET, "HS256");
    const socket = await fetch(`${base}/ws/driver?token=${encodeURIComponent(nulSub)}`, {
      headers: UPGRADE,
    });
    assert.equal(socket.status, 401);
    assert.match(socket.headers.get("WWW-Authenticate")!, /error="invalid_token"/);
    const refusal = await socket.json();
    assert.equal(refusal.error.code, "token_bad_claims");
    assert.equal(refusal.error.field, "sub");

    await client.connect();
    client.sendText(JSON.stringify({ type: "order", orderId: "o\u0000x", event: "picked_up" }));
    await eventually(
      "the order frame is refused",
      () => Promise.resolve(client.errors.length > 0),
      10_000,
    );
    assert.equal(client.errors[0]!.code, "invalid_frame");
    assert.ok(client.open, "the socket stays open");
  } finally {
    await client.close();
    await service.close();
    await cleanupRun(run);
  }
});

Deno.test("a fix with speed 1e39 is out_of_range; accuracy 1e-50 is acked and stored as 0", async () => {
  const run = runId();
  const service = await startService(testConfig(run));
  const driver = `d-${run}`;
  const client = new DriverClient(
    `ws://127.0.0.1:${service.port}/ws/driver`,
    await token("driver", driver),
  );
  const sql = connectPostgres(DATABASE_URL);
  try {
    await client.connect();
    const now = Date.now();
    client.sendText(
      JSON.stringify({ type: "location", lat: 12.9, lon: 77.6, ts: now - 3000, speed: 1e39 }),
    );
    client.sendText(
      JSON.stringify({ type: "location", lat: 12.9, lon: 77.6, ts: Math.floor(now / 1000) }),
    );
    const ts = now - 2000;
    client.sendText(
      JSON.stringify({ type: "location", lat: 12.9, lon: 77.6, ts, accuracy: 1e-50 }),
    );
    await eventually("the good fix is acked", () => Promise.resolve(client.ackedTs === ts), 20_000);
    assert.deepEqual(client.errors.map((e) => e.code), ["out_of_range", "timestamp_not_ms"]);
    assert.match(client.errors[0]!.message, /^speed /);
    await eventually("the fix is in PostgreSQL", async () => {
      const rows = await sql`select accuracy from driver_locations where driver_id = ${driver}`;
      return rows.length === 1 && rows[0]!.accuracy === 0;
    }, 30_000);
  } finally {
    await client.close();
    await service.close();
    await cleanupRun(run);
    await sql.end();
  }
});

Deno.test("the service wires METRICS_TOKEN, CORS from ALLOWED_ORIGINS, and JSON 404/405/426", async () => {
  const run = runId();
  const metricsToken = `metrics-${run}-0123456789`;
  const service = await startService(
    testConfig(run, { METRICS_TOKEN: metricsToken, ALLOWED_ORIGINS: "https://app.example" }),
  );
  const base = `http://127.0.0.1:${service.port}`;
  try {
    const open = await _json(await fetch(`${base}/metrics`));
    assert.equal(open.status, 401);
    assert.equal(open.body.error.code, "metrics_unauthorized");
    const scraped = await fetch(`${base}/metrics`, {
      headers: { Authorization: `Bearer ${metricsToken}` },
    });
    assert.equal(scraped.status, 200);
    assert.match(await scraped.text(), /tracking_/);

    const cors = await fetch(`${base}/orders/o1`, {
      method: "OPTIONS",
      headers: { Origin: "https://app.example", "Access-Control-Request-Method": "GET" },
    });
    assert.equal(cors.headers.get("Access-Control-Allow-Origin"), "https://app.example");
    await cors.body?.cancel();

    const missing = await _json(await fetch(`${base}/nowhere`));
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, "not_found");
    const wrong = await _json(
      await fetch(`${base}/orders/o1`, {
        method: "DELETE",
        headers: { Authorization: `Bearer ${await token("ops", `ops-${run}`)}` },
      }),
    );
    assert.equal(wrong.status, 405);
    assert.equal(wrong.body.error.code, "method_not_allowed");
    const plain = await _json(
      await fetch(`${base}/ws/driver`, {
        headers: { Authorization: `Bearer ${await token("driver", `d-${run}`)}` },
      }),
    );
    assert.equal(plain.status, 426);
    assert.equal(plain.body.error.code, "upgrade_required");
  } finally {
    await service.close();
    await cleanupRun(run);
  }
});
