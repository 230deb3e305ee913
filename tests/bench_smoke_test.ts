import assert from "node:assert/strict";
import { startService } from "../service.ts";
import { runSmoke } from "../bench/smoke.ts";
import { connectPostgres } from "../infra/postgres/connect_postgres.ts";
import { cleanupRun, DATABASE_URL, eventually, runId, SECRET, testConfig } from "./_support.ts";

const DRIVERS = 300;
const VIEWERS = 20;
/** a tenth of the drivers have an active order: 30 orders, of which the 20 viewers watch 20 */
const ORDER_SHARE = 0.1;

Deno.test({
  name:
    "bench smoke: 300 simulated drivers, 30 of them with an order and 20 customer viewers, on the real service connect, get acks and live positions, without errors",
  fn: async () => {
    const run = runId();
    const service = await startService(testConfig(run));
    try {
      const t0 = performance.now();
      const { ok, problems, report } = await runSmoke(`http://127.0.0.1:${service.port}`, SECRET, {
        drivers: DRIVERS,
        viewers: VIEWERS,
        orderShare: ORDER_SHARE,
        durationS: 4,
        rampUpS: 1,
        quiet: true,
      });
      assert.ok(report, problems.join("; "));
      const v = report.viewers;
      console.log(
        `smoke in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${report.acked} of ` +
          `${report.sent} fixes acked (p99 ${report.ackLatencyMs.p99} ms); viewers got ` +
          `${
            JSON.stringify(v?.frames)
          } (location p50 ${v?.latencyMs.p50} ms, p99 ${v?.latencyMs.p99} ms)`,
      );
      assert.deepEqual(report.errors, {}, "no errors of any kind");
      assert.equal(report.handshakes, DRIVERS, "every driver connected once");
      assert.equal(report.peakConnections, DRIVERS);
      assert.equal(
        report.ordersAssigned,
        DRIVERS * ORDER_SHARE,
        "every order created and assigned",
      );
      assert.ok(report.sent >= DRIVERS * 4, `sent ${report.sent}`);
      assert.ok(report.acked > 0);
      assert.ok(report.acked >= report.sent * 0.95, `acked ${report.acked} of ${report.sent}`);
      // Latency counts only fixes sent in the steady window (after the ramp-up).
      assert.ok(report.ackLatencyMs.count > 0 && report.ackLatencyMs.count <= report.acked);
      assert.ok(v, "the report has a viewers section");
      assert.equal(v.opened, VIEWERS, "every viewer connected");
      assert.equal(v.frames["snapshot"], VIEWERS, "one snapshot per viewer");
      assert.ok((v.frames["location"] ?? 0) >= VIEWERS, `location frames: ${v.frames["location"]}`);
      assert.ok(v.latencyMs.count > 0, "the viewer latency histogram has samples");
      assert.ok(v.latencyMs.count <= v.frames["location"]!);
      assert.deepEqual(problems, []);
      assert.ok(ok);
    } finally {
      await service.close();
      await cleanupRun(run);
    }
  },
});

Deno.test({
  name:
    "bench smoke with --fleet-viewers: 2 ops maps on /ws/fleet get the simulated drivers' positions",
  fn: async () => {
    const run = runId();
    // Updates every 200 ms so a 3 s run sees several ticks.
    const service = await startService(testConfig(run, { FLEET_UPDATE_MS: "200" }));
    try {
      const { problems, report } = await runSmoke(`http://127.0.0.1:${service.port}`, SECRET, {
        drivers: 20,
        viewers: 0,
        fleetViewers: 2,
        durationS: 3,
        rampUpS: 1,
        quiet: true,
      });
      assert.deepEqual(problems, []);
      const f = report?.fleetViewers;
      assert.ok(f, "the report has a fleetViewers section");
      assert.equal(f.opened, 2);
      assert.ok((f.frames["positions"] ?? 0) >= 2, `fleet frames: ${JSON.stringify(f.frames)}`);
      assert.ok((f.frames["stats"] ?? 0) >= 2, `fleet frames: ${JSON.stringify(f.frames)}`);
    } finally {
      await service.close();
      await cleanupRun(run);
    }
  },
});

Deno.test({
  name:
    "bench smoke with --osmand-share 0.5: 5 phones post to /osmand beside 5 driver sockets; all acked and stored once",
  fn: async () => {
    const run = runId();
    const service = await startService(testConfig(run));
    const sql = connectPostgres(DATABASE_URL);
    const prefix = `smoke-osm-${run}`;
    try {
      const { problems, report } = await runSmoke(`http://127.0.0.1:${service.port}`, SECRET, {
        drivers: 10,
        viewers: 0,
        osmandShare: 0.5,
        durationS: 3,
        rampUpS: 1,
        quiet: true,
        prefix,
      });
      assert.deepEqual(problems, []);
      const p = report?.byProtocol;
      assert.ok(p, "the report counts each protocol apart");
      assert.equal(p.osmand.drivers, 5);
      assert.equal(p.osmand.connected, 5, "every phone registered its device");
      assert.equal(p.ws.connected, 5, "every socket driver connected");
      for (const x of [p.ws, p.osmand]) {
        assert.ok(x.sent >= 5 * 3, `sent ${x.sent}`);
        assert.equal(x.acked, x.sent, "every fix acked (the phones' answered 200)");
        assert.deepEqual(x.errors, {});
      }
      // Each phone is an odd driver; every fix answered 200 is in history, once.
      const rows = async () =>
        (await sql`select driver_id, count(*)::int as n from driver_locations
          where driver_id like ${prefix + "-%"} group by driver_id`) as {
          driver_id: string;
          n: number;
        }[];
      await eventually(
        "the phones' fixes in history",
        async () =>
          (await rows()).filter((r) => Number(r.driver_id.split("-").pop()) % 2 === 1)
            .reduce((a, r) => a + r.n, 0) >= p.osmand.acked,
      );
      const phones = (await rows()).filter((r) => Number(r.driver_id.split("-").pop()) % 2 === 1);
      assert.equal(phones.length, 5, `rows of 5 phones: ${JSON.stringify(phones)}`);
      assert.equal(phones.reduce((a, r) => a + r.n, 0), p.osmand.acked, "stored exactly once");
    } finally {
      await sql.end();
      await service.close();
      await cleanupRun(run);
    }
  },
});
