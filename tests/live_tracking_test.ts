import assert from "node:assert/strict";
import { startService } from "../service.ts";
import { connectPostgres } from "../infra/postgres/connect_postgres.ts";
import { cleanupRun, DATABASE_URL, eventually, runId, testConfig, token } from "./_support.ts";
import { WsClient } from "./_ws_client.ts";
import { north } from "./_geo.ts";

const DRIVERS = 20;

interface Point {
  lat: number;
  lon: number;
}

interface Plan {
  order: { id: string; customerId: string };
  driverId: string;
  restaurantId: string;
  pickup: Point;
  dropoff: Point;
}
const RESTAURANTS = 4;

/**
 * Distances to the drop-off the driver passes through after pickup: 100 m steps, with GPS jitter
 * across the 500 m and 100 m thresholds (505/495/505/495) that must not fire twice.
 */
const TO_DROPOFF = [
  ...Array.from({ length: 16 }, (_, i) => 2000 - i * 100),
  505,
  495,
  505,
  495,
  400,
  300,
  200,
  105,
  95,
  105,
  95,
  40,
  0,
];

Deno.test({
  name:
    "live tracking across two instances: customers on B see drivers on A in order, each notification once, orders delivered",

  fn: async () => {
    const run = runId();
    const env = { MAX_SPEED_MPS: "100000" };
    const a = await startService(testConfig(run, { ...env, INSTANCE_ID: `a-${run}` }));
    const b = await startService(testConfig(run, { ...env, INSTANCE_ID: `b-${run}` }));
    const sql = connectPostgres(DATABASE_URL);
    const clients: WsClient[] = [];
    const http = (port: number) => `http://127.0.0.1:${port}`;
    const ws = (port: number) => `ws://127.0.0.1:${port}`;
    const ops = { Authorization: `Bearer ${await token("ops", "ops-1")}` };
    try {
      // Restaurant dashboards on both instances, before any order exists.
      const dashboards = new Map<string, WsClient>();
      for (let r = 0; r < RESTAURANTS; r++) {
        const id = `r${r}-${run}`;
        const port = r % 2 === 0 ? a.port : b.port;
        const dash = await WsClient.connect(
          `${ws(port)}/ws/restaurants/${id}`,
          await token("restaurant", id),
        );
        clients.push(dash);
        dashboards.set(id, dash);
      }

      // 20 orders around Bengaluru; drop-offs 2 km north of pickups, so some cross regions.
      const plans: Plan[] = [];
      for (let i = 0; i < DRIVERS; i++) {
        const restaurantId = `r${i % RESTAURANTS}-${run}`;
        const pickup = { lat: 12.93 + i * 0.001, lon: 77.6 + i * 0.001 };
        const dropoff = north(pickup, 2000);
        const created = await fetch(`${http(i % 2 ? b.port : a.port)}/orders`, {
          method: "POST",
          headers: { ...ops, "content-type": "application/json" },
          body: JSON.stringify({ restaurantId, customerId: `c${i}-${run}`, pickup, dropoff }),
        });
        assert.equal(created.status, 201);
        const order = await created.json();
        const driverId = `d${i}-${run}`;
        const assigned = await fetch(`${http(b.port)}/orders/${order.id}/assign`, {
          method: "POST",
          headers: { ...ops, "content-type": "application/json" },
          body: JSON.stringify({ driverId }),
        });
        assert.equal(assigned.status, 200);
        assert.equal((await assigned.json()).status, "assigned");
        plans.push({ order, driverId, restaurantId, pickup, dropoff });
      }

      // Customers watch on B; drivers drive on A.
      const customers = await Promise.all(plans.map(async (p) =>
        await WsClient.connect(
          `${ws(b.port)}/ws/orders/${p.order.id}`,
          await token("customer", p.order.customerId),
        )
      ));
      const drivers = await Promise.all(
        plans.map(async (p) =>
          await WsClient.connect(`${ws(a.port)}/ws/driver`, await token("driver", p.driverId))
        ),
      );
      clients.push(...customers, ...drivers);
      await eventually(
        "every customer's snapshot",
        () => Promise.resolve(customers.every((c) => c.frames("snapshot").length === 1)),
      );

      // Per driver: the fix time (strictly increasing) and when it was actually sent.
      const lastTs = new Map<number, number>();
      const sentAt = new Map<string, number>();
      const fix = (i: number, p: { lat: number; lon: number }) => {
        const ts = Math.max((lastTs.get(i) ?? 0) + 1, Date.now());
        lastTs.set(i, ts);
        sentAt.set(`${plans[i]!.driverId}:${ts}`, Date.now());
        return { type: "location", lat: p.lat, lon: p.lon, ts };
      };
      const drive = async (points: (i: number) => { lat: number; lon: number }[]) => {
        const tracks = plans.map((_, i) => points(i));
        for (let step = 0; step < tracks[0]!.length; step++) {
          drivers.forEach((d, i) => d.send(fix(i, tracks[i]![step]!)));
          await new Promise((r) => setTimeout(r, 100));
        }
      };
      // Waiting 1.2 km south of the pickup until B reads the driver's partition live.
      const start = (i: number) => north(plans[i]!.pickup, -1200);
      const waiting = setInterval(() => drivers.forEach((d, i) => d.send(fix(i, start(i)))), 100);
      try {
        await eventually(
          "a live position at every customer",
          () => Promise.resolve(customers.every((c) => c.frames("location").length > 0)),
        );
      } finally {
        clearInterval(waiting);
      }

      // To the pickup ("arriving" at 150 m), picked up, to the drop-off (500 m, 100 m), delivered.
      await drive((i) => Array.from({ length: 13 }, (_, k) => north(start(i), k * 100)));
      // A driver picks up after arriving: had the pickup been reported before the notifier judged
      // the fix at 150 m, the order would no longer be waiting for its driver, and rightly no
      // "arriving" would fire (the race made this test flaky).
      await eventually(
        "every restaurant told its driver arrives",
        () =>
          Promise.resolve(plans.every((p) =>
            dashboards.get(p.restaurantId)!.frames("notification")
              .some((n) => n.orderId === p.order.id && n.kind === "driver_arriving")
          )),
      );
      drivers.forEach((d, i) =>
        d.send({ type: "order", orderId: plans[i]!.order.id, event: "picked_up" })
      );
      await eventually(
        "every pickup confirmed",
        () => Promise.resolve(drivers.every((d) => d.frames("order").length === 1)),
      );
      await drive((i) => TO_DROPOFF.map((left) => north(plans[i]!.dropoff, -left)));
      await eventually(
        "every customer notified at 100 m",
        () =>
          Promise.resolve(
            customers.every((c) => c.frames("notification").some((n) => n.thresholdMeters === 100)),
          ),
      );
      // A delivery by the wrong driver is refused and changes nothing.
      drivers[0]!.send({ type: "order", orderId: plans[1]!.order.id, event: "delivered" });
      await eventually(
        "the refusal",
        () => Promise.resolve(drivers[0]!.frames("error").some((e) => e.code === "not_your_order")),
      );
      drivers.forEach((d, i) =>
        d.send({ type: "order", orderId: plans[i]!.order.id, event: "delivered" })
      );
      await Promise.all(customers.map((c) => c.closed));

      const latencies: number[] = [];
      plans.forEach((p, i) => {
        const c = customers[i]!;
        assert.equal(c.closeCode, 1000, "the customer's socket closes normally after delivery");
        const locations = c.received.filter((r) => r.frame.type === "location");
        for (let k = 1; k < locations.length; k++) {
          assert.ok(locations[k]!.frame.seq > locations[k - 1]!.frame.seq, "never an older seq");
          assert.ok(locations[k]!.frame.ts > locations[k - 1]!.frame.ts);
        }
        for (const l of locations) {
          latencies.push(l.at - sentAt.get(`${l.frame.driverId}:${l.frame.ts}`)!);
        }
        assert.ok(locations.every((l) => l.frame.driverId === p.driverId));
        const near = c.frames("notification").filter((n) => n.kind === "driver_near");
        assert.deepEqual(near.map((n) => n.thresholdMeters).sort(), [100, 500]);
        const statuses = c.frames("status").map((s) => s.status);
        assert.deepEqual(statuses, ["picked_up", "delivered"]);
        assert.ok(c.frames("eta").length > 0, "ETA frames are sent");
        const dash = dashboards.get(p.restaurantId)!;
        const arriving = dash.frames("notification")
          .filter((n) => n.orderId === p.order.id && n.kind === "driver_arriving");
        assert.equal(arriving.length, 1, "the restaurant is told once that the driver arrives");
        assert.ok(
          dash.frames("status").some((s) => s.orderId === p.order.id && s.status === "delivered"),
        );
      });
      const rows = await sql<{ order_id: string; n: string }[]>`
        select order_id, count(*) as n from notifications
        where order_id = any(${plans.map((p) => p.order.id)}) group by order_id`;
      assert.equal(rows.length, DRIVERS);
      assert.ok(rows.every((r) => Number(r.n) === 3), "arriving + 500 m + 100 m, once each");
      const listed = await fetch(`${http(a.port)}/orders/${plans[0]!.order.id}/notifications`, {
        headers: { Authorization: `Bearer ${await token("customer", plans[0]!.order.customerId)}` },
      });
      assert.equal((await listed.json()).notifications.length, 3);

      latencies.sort((x, y) => x - y);
      const pct = (q: number) =>
        latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
      console.log(
        `driver-to-customer latency across instances: p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms ` +
          `(${latencies.length} positions)`,
      );
    } finally {
      await Promise.all(clients.map((c) => c.close()));
      await a.close();
      await b.close();
      await sql.end();
      await cleanupRun(run);
    }
  },
});
