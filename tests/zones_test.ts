import assert from "node:assert/strict";
import { startService } from "../service.ts";
import { connectPostgres } from "../infra/postgres/connect_postgres.ts";
import { cleanupRun, DATABASE_URL, eventually, runId, testConfig, token } from "./_support.ts";
import { WsClient } from "./_ws_client.ts";
import { createZone, jitterFixes, LAT0, LON0, readAllRecords, squarePolygon } from "./_zones.ts";

// Zones on the real broker and PostgreSQL: a driver jittering across a zone's edge makes one
// enter, one dwell and one exit on zone-events; the fleet map gets them; the restaurant's order
// gets "driver at the restaurant" from the dwell, without the driver pressing anything.

Deno.test("zones: edge jitter makes one enter and one exit on zone-events; a dwell in the restaurant's zone tells its order", async () => {
  const run = runId();
  const service = await startService(testConfig(run, { MAX_SPEED_MPS: "100000" }));
  const base = `http://127.0.0.1:${service.port}`;
  const sql = connectPostgres(DATABASE_URL);
  const id = (name: string) => `${name}-${run}`;
  const ops = { Authorization: `Bearer ${await token("ops", "ops-1")}` };
  const json = { ...ops, "content-type": "application/json" };
  const clients: WsClient[] = [];
  let zoneId: string | undefined;
  try {
    const order = await (await fetch(`${base}/orders`, {
      method: "POST",
      headers: json,
      body: JSON.stringify({
        restaurantId: id("r"),
        customerId: id("c"),
        pickup: { lat: LAT0 + 0.0009, lon: LON0 + 0.0009 },
        dropoff: { lat: LAT0 + 0.05, lon: LON0 },
      }),
    })).json();
    const assigned = await fetch(`${base}/orders/${order.id}/assign`, {
      method: "POST",
      headers: json,
      body: JSON.stringify({ driverId: id("d") }),
    });
    assert.equal(assigned.status, 200);
    await assigned.body?.cancel();
    const zone = await createZone(service.port, {
      name: `pickup ${run}`,
      restaurantId: id("r"),
      dwellSeconds: 3,
      polygon: squarePolygon(),
    });
    assert.equal(zone.status, 201, JSON.stringify(zone.body));
    zoneId = zone.body.id;
    const fleet = await WsClient.connect(
      `ws://127.0.0.1:${service.port}/ws/fleet`,
      await token("ops", "o"),
    );
    clients.push(fleet);
    const driver = await WsClient.connect(
      `ws://127.0.0.1:${service.port}/ws/driver`,
      await token("driver", id("d")),
    );
    clients.push(driver);
    const fixes = jitterFixes(Date.now() - 120_000);
    driver.send({ type: "locations", points: fixes });
    await eventually(
      "the fixes to be acked",
      () => Promise.resolve(driver.frames("ack").some((a) => a.ts === fixes.at(-1)!.ts)),
      20_000,
    );

    const records = await readAllRecords(`zone-events-${run}`, { min: 3 });
    // Only this run's zone: another test's zone may be in the same database.
    const events = records.filter((r) => r.key === zone.body.id)
      .map((r) => ({ key: r.key, ...JSON.parse(r.value) }));
    assert.deepEqual(events.map((e) => `${e.kind}:${e.episode}`), ["enter:1", "dwell:1", "exit:1"]);
    assert.ok(events.every((e) => e.key === zone.body.id && e.driverId === id("d")));
    assert.deepEqual(events.map((e) => e.ts), [fixes[6]!.ts, fixes[9]!.ts, fixes[23]!.ts]);
    const stored =
      await sql`SELECT kind, published FROM zone_events WHERE zone_id = ${zone.body.id} ORDER BY ts`;
    assert.deepEqual(stored.map((r) => `${r.kind}:${r.published}`), [
      "enter:true",
      "dwell:true",
      "exit:true",
    ]);

    await eventually(
      "the fleet map to get the three zone frames",
      () =>
        Promise.resolve(fleet.frames("zone").filter((f) => f.zoneId === zone.body.id).length === 3),
      10_000,
    );
    const recent = await (await fetch(`${base}/zones/events?limit=100`, { headers: ops })).json();
    assert.deepEqual(
      recent.events.filter((e: { zoneId: string }) => e.zoneId === zone.body.id).map((
        e: { kind: string },
      ) => e.kind),
      ["exit", "dwell", "enter"],
    );
    const notes = await (await fetch(`${base}/orders/${order.id}/notifications`, { headers: ops }))
      .json();
    const atRestaurant = notes.notifications.filter((n: { kind: string }) =>
      n.kind === "driver_at_restaurant"
    );
    assert.equal(atRestaurant.length, 1, JSON.stringify(notes));
    assert.equal(atRestaurant[0].ts, fixes[9]!.ts, "from the fix that made the dwell");
    assert.equal(atRestaurant[0].id, `${order.id}:driver_at_restaurant:0`);
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    await service.close();
    if (zoneId) await sql`DELETE FROM zones WHERE id = ${zoneId}`;
    await sql.end();
    await cleanupRun(run);
  }
});
