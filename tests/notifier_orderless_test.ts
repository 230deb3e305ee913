import assert from "node:assert/strict";
import { startService } from "../service.ts";
import { connectPostgres } from "../infra/postgres/connect_postgres.ts";
import { cleanupRun, DATABASE_URL, eventually, runId, testConfig, token } from "./_support.ts";
import { WsClient } from "./_ws_client.ts";
import { metricTotal } from "../bench/metric_total.ts";
import { north } from "./_geo.ts";

/** The drivers the instance's notifier knows to have no active order. */
async function orderlessDrivers(port: number): Promise<number> {
  const page = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return metricTotal(page, "tracking_notifier_orderless_drivers");
}

Deno.test({
  name:
    "notifier: a driver judged without an order, then assigned one, is judged with it from the next fixes on",
  fn: async () => {
    const run = runId();
    const env = { MAX_SPEED_MPS: "100000" };
    // One instance: with two, a rebalance could move the driver's partition to a notifier that
    // never knew it, and the test would pass without the order change being read.
    const a = await startService(testConfig(run, { ...env, INSTANCE_ID: `a-${run}` }));
    const sql = connectPostgres(DATABASE_URL);
    const ops = { Authorization: `Bearer ${await token("ops", "ops-1")}` };
    const driverId = `d-${run}`;
    let driver: WsClient | undefined;
    let sending: ReturnType<typeof setInterval> | undefined;
    try {
      const pickup = { lat: 12.95, lon: 77.61 };
      const created = await fetch(`http://127.0.0.1:${a.port}/orders`, {
        method: "POST",
        headers: { ...ops, "content-type": "application/json" },
        body: JSON.stringify({
          restaurantId: `r-${run}`,
          customerId: `c-${run}`,
          pickup,
          dropoff: north(pickup, 2000),
        }),
      });
      assert.equal(created.status, 201);
      const order = await created.json();

      // The driver waits 1.2 km south of the pickup with no order: the notifier asks PostgreSQL
      // once and then knows the driver has none.
      driver = await WsClient.connect(
        `ws://127.0.0.1:${a.port}/ws/driver`,
        await token("driver", driverId),
      );
      let ts = Date.now();
      let at = north(pickup, -1200);
      const send = () => {
        ts = Math.max(ts + 1, Date.now());
        driver!.send({ type: "location", lat: at.lat, lon: at.lon, ts });
      };
      sending = setInterval(send, 100);
      await eventually(
        "the driver known to have no order",
        async () => await orderlessDrivers(a.port) === 1,
      );

      // Assigned: the order change goes to order-events, the instance's tailer reads it and forgets
      // the driver, so the fixes from now on are judged with the order.
      const assigned = await fetch(`http://127.0.0.1:${a.port}/orders/${order.id}/assign`, {
        method: "POST",
        headers: { ...ops, "content-type": "application/json" },
        body: JSON.stringify({ driverId }),
      });
      assert.equal(assigned.status, 200);
      for (let k = 1; k <= 12; k++) {
        at = north(pickup, -1200 + k * 100);
        await new Promise((r) => setTimeout(r, 100));
      }
      // Remembered for a minute otherwise: well past this wait.
      await eventually("driver_arriving stored", async () => {
        const rows = await sql`
          SELECT 1 FROM notifications WHERE order_id = ${order.id} AND kind = 'driver_arriving'`;
        return rows.length === 1;
      }, 20_000);
      // The driver has an order now: asked about every batch, remembered by no one.
      await eventually(
        "the driver no longer known orderless",
        async () => await orderlessDrivers(a.port) === 0,
      );
    } finally {
      clearInterval(sending);
      await driver?.close();
      await a.close();
      await sql.end();
      await cleanupRun(run);
    }
  },
});
