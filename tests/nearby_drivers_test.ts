import assert from "node:assert/strict";
import { startService } from "../service.ts";
import { cleanupRun, eventually, runId, testConfig, token } from "./_support.ts";
import { WsClient } from "./_ws_client.ts";
import { north } from "./_geo.ts";

// GET /drivers/nearby on the real broker and PostgreSQL: drivers connected to instance A, asked
// on instance B, whose index is fed by the location topic alone.

const HERE = { lat: 12.97, lon: 77.59 };

Deno.test({
  name:
    "GET /drivers/nearby on another instance: the right drivers nearest first, stale ones out, by state",
  fn: async () => {
    const run = runId();
    const env = { MAX_SPEED_MPS: "100000" };
    const a = await startService(testConfig(run, { ...env, INSTANCE_ID: `a-${run}` }));
    const b = await startService(
      testConfig(run, { ...env, INSTANCE_ID: `b-${run}`, NEARBY_MAX_AGE_MS: "20000" }),
    );
    const clients: WsClient[] = [];
    const id = (name: string) => `${name}-${run}`;
    const connect = async (name: string) => {
      const c = await WsClient.connect(
        `ws://127.0.0.1:${a.port}/ws/driver`,
        await token("driver", id(name)),
      );
      clients.push(c);
      return c;
    };
    const nearby = async (query: string, role = "dispatcher", port = b.port) => {
      const res = await fetch(`http://127.0.0.1:${port}/drivers/nearby?${query}`, {
        headers: { Authorization: `Bearer ${await token(role, `${role}-${run}`)}` },
      });
      return { status: res.status, body: await res.json() };
    };
    const ids = async (query: string) =>
      (await nearby(query)).body.drivers.map((d: { driverId: string }) => d.driverId);
    try {
      const at = { lat: HERE.lat, lon: HERE.lon };
      const q = `lat=${at.lat}&lon=${at.lon}&radius_m=2000`;
      // The stale driver's fix is 30 s old, past NEARBY_MAX_AGE_MS (20 s) on B.
      const placed: [string, number, number][] = [
        ["far", 1_800, 0],
        ["near", 150, 0],
        ["mid", -900, 0],
        ["outside", 2_600, 0],
        ["stale", 50, 30_000],
      ];
      for (const [name, m, age] of placed) {
        const c = await connect(name);
        c.send({ type: "location", ...north(HERE, m), ts: Date.now() - age });
      }
      await eventually(
        "B to index the three fresh drivers",
        async () => (await ids(q)).length === 3,
        20_000,
      );
      const answer = await nearby(`${q}&limit=10`);
      assert.equal(answer.status, 200);
      assert.deepEqual(answer.body.drivers.map((d: { driverId: string }) => d.driverId), [
        id("near"),
        id("mid"),
        id("far"),
      ]);
      const first = answer.body.drivers[0];
      assert.ok(Math.abs(first.distanceM - 150) < 2, `150 m, got ${first.distanceM}`);
      assert.equal(first.state, "idle");
      assert.ok(first.ageMs >= 0 && first.ageMs < 20_000, `age ${first.ageMs}`);
      assert.deepEqual(await ids(`${q}&limit=1`), [id("near")]);
      // A keeps fixes for 60 s (the default): the 30 s old one is there, so B left it out by age.
      // A's index is fed by its own tailer, which may be a fetch behind B's: wait for it too.
      const onA = async () =>
        (await nearby(q, "ops", a.port)).body.drivers.map((d: { driverId: string }) => d.driverId);
      await eventually("A to index all four", async () => (await onA()).length === 4, 20_000);
      assert.deepEqual(await onA(), [id("stale"), id("near"), id("mid"), id("far")]);
      const tooFar = await nearby(`lat=${at.lat}&lon=${at.lon}&radius_m=100000`);
      assert.deepEqual([tooFar.status, tooFar.body.error.code], [400, "invalid_query"]);

      // An order assigned to "near": it is going to a pickup, no longer idle.
      const ops = { Authorization: `Bearer ${await token("ops", "ops-1")}` };
      const json = { ...ops, "content-type": "application/json" };
      const order = await (await fetch(`http://127.0.0.1:${a.port}/orders`, {
        method: "POST",
        headers: json,
        body: JSON.stringify({
          restaurantId: id("r"),
          customerId: id("c"),
          pickup: at,
          dropoff: north(HERE, 3_000),
        }),
      })).json();
      const assigned = await fetch(`http://127.0.0.1:${a.port}/orders/${order.id}/assign`, {
        method: "POST",
        headers: json,
        body: JSON.stringify({ driverId: id("near") }),
      });
      assert.equal(assigned.status, 200);
      await assigned.body?.cancel();
      await eventually(
        "B to see near going to a pickup",
        async () => (await ids(`${q}&state=to_pickup`)).join() === id("near"),
        20_000,
      );
      assert.deepEqual(await ids(`${q}&state=idle`), [id("mid"), id("far")]);
      assert.deepEqual(await ids(`${q}&state=carrying`), []);
      for (const role of ["customer", "restaurant", "driver"]) {
        assert.equal((await nearby(q, role)).status, 403, role);
      }
      assert.equal((await nearby(q, "ops")).status, 200);
    } finally {
      await Promise.all(clients.map((c) => c.close()));
      await a.close();
      await b.close();
      await cleanupRun(run);
    }
  },
});
