import assert from "node:assert/strict";
import { startService } from "../service.ts";
import { cleanupRun, eventually, runId, testConfig, token } from "./_support.ts";
import { WsClient } from "./_ws_client.ts";

const NORTH_VIEW = [77.45, 12.98, 77.75, 13.15]; // inside region "north" only
const UPDATE_MS = 500;

Deno.test({
  name:
    "fleet feed on instance B shows drivers on A: one position per driver per interval, gone, clusters",
  fn: async () => {
    const run = runId();
    const env = {
      MAX_SPEED_MPS: "100000",
      FLEET_UPDATE_MS: String(UPDATE_MS),
      FLEET_MAX_POINTS: "3",
      FLEET_GONE_MS: "3000",
    };
    const a = await startService(testConfig(run, { ...env, INSTANCE_ID: `a-${run}` }));
    const b = await startService(testConfig(run, { ...env, INSTANCE_ID: `b-${run}` }));
    const clients: WsClient[] = [];
    try {
      const fleet = await WsClient.connect(
        `ws://127.0.0.1:${b.port}/ws/fleet`,
        await token("ops", "ops-1"),
      );
      clients.push(fleet);
      fleet.send({ type: "viewport", bbox: NORTH_VIEW });
      const drivers = await Promise.all(
        [0, 1, 2, 3, 4].map(async (i) => {
          const d = await WsClient.connect(
            `ws://127.0.0.1:${a.port}/ws/driver`,
            await token("driver", `f${i}-${run}`),
          );
          clients.push(d);
          return d;
        }),
      );
      const lastTs = new Map<number, number>();
      const send = (i: number, lat: number, lon: number) => {
        const ts = Math.max((lastTs.get(i) ?? 0) + 1, Date.now());
        lastTs.set(i, ts);
        drivers[i]!.send({ type: "location", lat, lon, ts, speed: 5 });
      };
      const positionsOf = (id: string) =>
        fleet.received.filter((r) =>
          r.frame.type === "positions" &&
          r.frame.drivers.some((d: { driverId: string }) => d.driverId === id)
        );

      // Two drivers in view, one fix every 50 ms each, for 3 s after B sees them.
      const d0 = `f0-${run}`;
      let step = 0;
      const moving = setInterval(() => {
        step++;
        send(0, 13.0 + step * 1e-4, 77.6);
        send(1, 13.05, 77.6 + step * 1e-4);
      }, 50);
      try {
        await eventually(
          "B's fleet socket to show driver f0",
          () => Promise.resolve(positionsOf(d0).length > 0),
        );
        const from = fleet.received.length;
        await new Promise((r) => setTimeout(r, 3000));
        const window = fleet.received.slice(from)
          .filter((r) =>
            r.frame.type === "positions" &&
            r.frame.drivers.some((d: { driverId: string }) => d.driverId === d0)
          );
        // ~60 fixes were sent in 3 s; at most one per 500 ms tick went out (7 with jitter).
        assert.ok(window.length >= 4 && window.length <= 7, `${window.length} updates in 3 s`);
        for (const r of window) {
          assert.equal(
            r.frame.drivers.filter((d: { driverId: string }) => d.driverId === d0).length,
            1,
          );
        }
      } finally {
        clearInterval(moving);
      }
      const stats = fleet.frames("stats").at(-1);
      assert.ok(stats.driversOnline >= 2);
      // Every partition, open maps or not: the nearby search (GET /drivers/nearby) needs them all.
      assert.ok(stats.partitions.includes(0) && stats.partitions.length > 1, stats.partitions);

      // Driver 0 drives south, out of the viewport: gone.
      send(0, 12.9, 77.6);
      await eventually(
        "driver f0 gone from the viewport",
        () => Promise.resolve(fleet.frames("gone").some((g) => g.driverIds.includes(d0))),
      );

      // Five drivers in view, more than FLEET_MAX_POINTS = 3: clusters counting all five.
      for (let i = 0; i < 5; i++) send(i, 13.0 + i * 1e-3, 77.6);
      await eventually("clusters", () =>
        Promise.resolve(
          fleet.frames("clusters").some((c) =>
            c.clusters.reduce((n: number, x: { count: number }) => n + x.count, 0) === 5
          ),
        ));

      // Silent for FLEET_GONE_MS: every driver expires.
      await eventually(
        "every driver expired",
        () => Promise.resolve(fleet.frames("stats").at(-1)?.driversOnline === 0),
        10_000,
      );
    } finally {
      await Promise.all(clients.map((c) => c.close()));
      await a.close();
      await b.close();
      await cleanupRun(run);
    }
  },
});

Deno.test("fleet routes: ops only (401 without a token, 403 for others), bad viewports get an error", async () => {
  const run = runId();
  const service = await startService(testConfig(run, { ALLOWED_ORIGINS: "http://ok.example" }));
  const base = `http://127.0.0.1:${service.port}`;
  try {
    const status = async (path: string, headers: HeadersInit = {}) => {
      const res = await fetch(`${base}${path}`, { headers });
      await res.body?.cancel();
      return res.status;
    };
    const bearer = async (role: string) => ({
      Authorization: `Bearer ${await token(role, `${role}-1`)}`,
    });
    assert.equal(await status("/ws/fleet"), 401);
    for (const role of ["customer", "restaurant", "driver"]) {
      assert.equal(await status("/ws/fleet", await bearer(role)), 403, role);
      assert.equal(await status("/fleet/drivers/x", await bearer(role)), 403, role);
    }
    assert.equal(
      await status("/ws/fleet", { ...(await bearer("ops")), Origin: "http://evil.example" }),
      403,
    );
    assert.equal(await status(`/fleet/drivers/nobody-${run}`, await bearer("ops")), 404);

    const fleet = await WsClient.connect(
      `ws://127.0.0.1:${service.port}/ws/fleet`,
      await token("ops", "o"),
    );
    try {
      fleet.send({ type: "viewport", bbox: [78, 13, 77, 12] });
      fleet.send({ type: "viewport", bbox: [0, 0, 0] });
      await eventually("two errors", () => Promise.resolve(fleet.frames("error").length === 2));
      assert.ok(fleet.frames("error").every((e) => e.code === "invalid_frame"));
    } finally {
      await fleet.close();
    }
  } finally {
    await service.close();
    await cleanupRun(run);
  }
});
