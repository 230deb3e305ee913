import assert from "node:assert/strict";
import { startService } from "../service.ts";
import { cleanupRun, eventually, runId, testConfig, token } from "./_support.ts";
import { WsClient } from "./_ws_client.ts";

// A share link on the real service (Kafka + PostgreSQL): it opens its order (REST, track, socket)
// and nothing else, and stops at revocation and at delivery, on another instance too.

const PICKUP = { lat: 12.93, lon: 77.6 };
const DROPOFF = { lat: 12.95, lon: 77.6 };

Deno.test({
  name: "a share link opens its order and nothing else, and stops when revoked or delivered",
  fn: async () => {
    const run = runId();
    const a = await startService(testConfig(run, { INSTANCE_ID: `a-${run}` }));
    const b = await startService(testConfig(run, { INSTANCE_ID: `b-${run}` }));
    const clients: WsClient[] = [];
    const id = (name: string) => `${name}-${run}`;
    const call = async (port: number, method: string, path: string, bearer: string) => {
      const res = await fetch(`http://127.0.0.1:${port}${path}`, {
        method,
        headers: { Authorization: `Bearer ${bearer}`, "content-type": "application/json" },
        ...(method === "POST" && path === "/orders" ? { body: _newOrder(run) } : {}),
        ...(path.endsWith("/assign") ? { body: JSON.stringify({ driverId: id("d") }) } : {}),
      });
      return { status: res.status, body: await res.json() };
    };
    const handshake = async (port: number, path: string, bearer: string) => {
      const res = await fetch(`http://127.0.0.1:${port}${path}?token=${bearer}`, {
        headers: {
          Upgrade: "websocket",
          Connection: "Upgrade",
          "Sec-WebSocket-Version": "13",
          "Sec-WebSocket-Key": btoa("0123456789abcdef"),
        },
      });
      await res.body?.cancel();
      return res.status;
    };
    try {
      const ops = await token("ops", "ops-1");
      const customer = await token("customer", id("c"));
      const mine = (await call(a.port, "POST", "/orders", ops)).body.id as string;
      const other = (await call(a.port, "POST", "/orders", ops)).body.id as string;
      assert.equal((await call(a.port, "POST", `/orders/${mine}/assign`, ops)).status, 200);
      const driver = await WsClient.connect(
        `ws://127.0.0.1:${a.port}/ws/driver`,
        await token("driver", id("d")),
      );
      clients.push(driver);
      driver.send({ type: "location", ...PICKUP, ts: Date.now() });

      const first = await call(a.port, "POST", `/orders/${mine}/share`, customer);
      assert.equal(first.status, 201, JSON.stringify(first.body));
      const second = await call(a.port, "POST", `/orders/${mine}/share`, customer);
      const link = first.body.token as string;
      assert.equal(first.body.url, `/track/${mine}?token=${link}`);

      // It opens its order, on either instance: REST, the track, the socket.
      for (const port of [a.port, b.port]) {
        assert.equal((await call(port, "GET", `/orders/${mine}`, link)).body.id, mine);
        assert.equal((await call(port, "GET", `/orders/${mine}/track`, link)).status, 200);
      }
      const watcher = await WsClient.connect(`ws://127.0.0.1:${b.port}/ws/orders/${mine}`, link);
      clients.push(watcher);
      await eventually(
        "the snapshot",
        () => Promise.resolve(watcher.frames("snapshot").length > 0),
      );

      // And nothing else.
      const refused: [string, string][] = [
        ["GET", `/orders/${other}`],
        ["GET", `/orders/${other}/track`],
        ["GET", `/orders/${mine}/notifications`],
        ["POST", `/orders/${mine}/cancel`],
        ["POST", `/orders/${mine}/share`],
        ["DELETE", `/orders/${mine}/share`],
        ["GET", `/drivers/${id("d")}/location`],
        ["GET", `/drivers/${id("d")}/history`],
        ["GET", `/drivers/nearby?lat=12.93&lon=77.6`],
        ["GET", `/fleet/drivers/${id("d")}`],
      ];
      for (const [method, path] of refused) {
        const res = await call(a.port, method, path, link);
        assert.equal(res.status, 403, `${method} ${path}: ${JSON.stringify(res.body)}`);
      }
      for (const path of [`/ws/orders/${other}`, `/ws/restaurants/${id("r")}`, "/ws/fleet"]) {
        assert.equal(await handshake(a.port, path, link), 403, path);
      }
      assert.equal(await handshake(a.port, "/ws/driver", link), 403, "/ws/driver");

      // Revoked on A: refused on B at once, REST and socket; the other link still works.
      const revoked = await call(
        a.port,
        "DELETE",
        `/orders/${mine}/share/${first.body.shareId}`,
        customer,
      );
      assert.deepEqual(revoked.body, { orderId: mine, revoked: 1 });
      const after = await call(b.port, "GET", `/orders/${mine}`, link);
      assert.deepEqual([after.status, after.body.error.code], [401, "share_revoked"]);
      assert.equal(await handshake(b.port, `/ws/orders/${mine}`, link), 401);
      assert.equal((await call(b.port, "GET", `/orders/${mine}`, second.body.token)).status, 200);

      // Delivered: the second link ends, its open socket is closed, a new one is refused.
      const still = await WsClient.connect(
        `ws://127.0.0.1:${b.port}/ws/orders/${mine}`,
        second.body.token,
      );
      clients.push(still);
      for (const event of ["picked_up", "delivered"]) {
        driver.send({ type: "order", orderId: mine, event });
        await eventually(
          `${event}`,
          async () => (await call(a.port, "GET", `/orders/${mine}`, ops)).body.status === event,
          10_000,
        );
      }
      for (const port of [a.port, b.port]) {
        const ended = await call(port, "GET", `/orders/${mine}/track`, second.body.token);
        assert.deepEqual([ended.status, ended.body.error.code], [410, "share_ended"]);
      }
      assert.equal(await handshake(b.port, `/ws/orders/${mine}`, second.body.token), 410);
      await eventually(
        "the shared socket closed at delivery",
        () => Promise.resolve(still.closeCode !== undefined),
        10_000,
      );
      const late = await call(a.port, "POST", `/orders/${mine}/share`, customer);
      assert.deepEqual([late.status, late.body.error.code], [410, "share_ended"]);
    } finally {
      await Promise.all(clients.map((c) => c.close()));
      await a.close();
      await b.close();
      await cleanupRun(run);
    }
  },
});

function _newOrder(run: string): string {
  return JSON.stringify({
    restaurantId: `r-${run}`,
    customerId: `c-${run}`,
    pickup: PICKUP,
    dropoff: DROPOFF,
  });
}
