// History reads against a real PostgreSQL (DATABASE_URL; each test in a schema of its own,
// dropped afterwards): an order's track from its stamped step times, and a 200,000-row NDJSON
// stream read through the route in bounded memory.
import assert from "node:assert/strict";
import type { LocationRecord } from "../domain/location_record.ts";
import v8 from "node:v8";
import vm from "node:vm";
import { lineString } from "@turf/helpers";
import { featureOf, getCoords } from "@turf/invariant";
import { withSchema } from "./_pg_schema.ts";
import { seedHistory } from "./_seed_history.ts";
import { runId } from "./_support.ts";
import { bearer, mounted } from "../routes/_route_testing.ts";
import { driversHttpRoute } from "../routes/drivers_http.ts";
import { orderTrackHttpRoute } from "../routes/order_track_http.ts";
import { historyCursor } from "../infra/postgres/history_cursor.ts";
import { createDayPartitions, daysOf } from "../infra/postgres/history_partitions.ts";
import { readOrderTimes } from "../infra/postgres/order_times.ts";
import { migrate, PostgresHistoryStore, PostgresOrderStore } from "../infra/postgres/mod.ts";

const SECRET = "route-test-secret-0123456789abcdef";

function _fix(driverId: string, ts: number): LocationRecord {
  return {
    driverId,
    seq: ts,
    ts,
    lat: 12.9 + (ts % 1e6) / 1e7,
    lon: 77.6,
    region: "south",
    receivedAt: ts,
  };
}

Deno.test("GET /orders/:id/track answers the assigned driver's fixes from assignment to delivery, stamped by the order store", async () => {
  await withSchema(async (connect) => {
    const sql = connect();
    await migrate(sql);
    const orders = new PostgresOrderStore(sql);
    const history = new PostgresHistoryStore(sql);
    const run = runId();
    const [d1, d2] = [`d1-${run}`, `d2-${run}`];
    const t0 = Date.now() - 3_600_000;
    const order = await orders.create({
      restaurantId: "r1",
      customerId: "c1",
      pickup: { lat: 12.9, lon: 77.6 },
      dropoff: { lat: 12.95, lon: 77.6 },
    }, t0);
    await orders.transition(
      order.id,
      { from: ["created"], to: "assigned", assignDriver: d2 },
      t0 + 5_000,
    );
    // Re-assigned: the track is the second driver's, from the second assignment.
    const assigned = t0 + 60_000;
    await orders.transition(
      order.id,
      { from: ["assigned"], to: "assigned", assignDriver: d1 },
      assigned,
    );
    await orders.transition(order.id, { from: ["assigned"], to: "picked_up" }, t0 + 300_000);
    const delivered = t0 + 600_000;
    await orders.transition(order.id, { from: ["picked_up"], to: "delivered" }, delivered);
    assert.deepEqual(await readOrderTimes(sql, order.id), {
      assignedAt: assigned,
      pickedUpAt: t0 + 300_000,
      deliveredAt: delivered,
    });
    // d1 drives from before its assignment to after the delivery, one fix every 5 s; d2 too.
    const times = Array.from({ length: 160 }, (_, i) => t0 + i * 5_000);
    await history.insertBatch(times.flatMap((ts) => [_fix(d1, ts), _fix(d2, ts)]));

    const app = mounted(orderTrackHttpRoute({
      secret: SECRET,
      order: (id) => orders.get(id),
      orderTimes: (id) => readOrderTimes(sql, id),
      store: history,
    }));
    const headers = await bearer("customer", "c1");
    const expected = times.filter((ts) => ts >= assigned && ts <= delivered);
    const seen: number[] = [];
    let pages = 0;
    for (let after: number | null = null; pages === 0 || after !== null; pages++) {
      const query: string = after === null ? "" : `&after=${after}`;
      const res = await app.request(`/orders/${order.id}/track?limit=50${query}`, { headers });
      assert.equal(res.status, 200);
      const page = await res.json();
      assert.equal(page.driverId, d1);
      seen.push(...page.points.map((p: LocationRecord) => p.ts));
      after = page.next;
    }
    assert.deepEqual(seen, expected);
    assert.equal(pages, Math.ceil(expected.length / 50) + (expected.length % 50 === 0 ? 1 : 0));

    const geo = await app.request(`/orders/${order.id}/track?format=geojson&limit=1000`, {
      headers,
    });
    const feature = await geo.json();
    featureOf(feature, "LineString", "track");
    lineString(getCoords(feature));
    assert.equal(getCoords(feature).length, expected.length);
    assert.deepEqual(feature.properties.times, expected);
    const other = await app.request(`/orders/${order.id}/track`, {
      headers: await bearer("customer", "c2"),
    });
    assert.equal(other.status, 403);
    await other.body?.cancel();
  });
});

const STREAM_ROWS = 200_000;

let _gc: (() => void) | undefined;

/**
 * Bytes live after a full garbage collection: the V8 heap plus buffers outside it (the
 * stream's encoded chunks are `Uint8Array`s, counted in `external`). `gc` is exposed the way
 * Node documents it (`v8.setFlagsFromString` then `vm.runInNewContext`), so the numbers are what
 * is kept, not garbage waiting for a collection.
 */
function _liveBytes(): number {
  _gc ??= (v8.setFlagsFromString("--expose-gc"), vm.runInNewContext("gc") as () => void);
  _gc();
  const { heapUsed, external } = Deno.memoryUsage();
  return heapUsed + external;
}

Deno.test("GET /drivers/:id/history?stream=ndjson streams 200,000 rows from a cursor in bounded memory", async () => {
  await withSchema(async (connect) => {
    const sql = connect();
    await migrate(sql);
    const driverId = `nd-${runId()}`;
    const t0 = Date.now() - 86_400_000;
    await seedHistory(sql, driverId, { t0, rows: STREAM_ROWS, stepMs: 100 });
    let pulled = 0; // batches taken from the database cursor
    const app = mounted(driversHttpRoute({
      secret: SECRET,
      store: new PostgresHistoryStore(sql),
      cursor: (id, range) => {
        const batches = historyCursor(sql, id, range);
        return { ...batches, next: () => (pulled++, batches.next()) };
      },
      latestPosition: () => Promise.resolve(undefined),
    }));
    const res = await app.request(
      `/drivers/${driverId}/history?stream=ndjson&from=${new Date(t0).toISOString()}`,
      { headers: await bearer("driver", driverId) },
    );
    assert.equal(res.status, 200);
    const reader = res.body!.getReader();
    const base = _liveBytes();
    let peak = 0;
    let lines = 0;
    let bytes = 0;
    let first = "";
    let last = new Uint8Array();
    for (let chunks = 0;; chunks++) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      for (let i = value.indexOf(10); i !== -1; i = value.indexOf(10, i + 1)) lines++;
      if (chunks === 0) first = new TextDecoder().decode(value.subarray(0, value.indexOf(10)));
      last = value;
      if (chunks === 0) {
        // A producer that ran ahead of this reader would go on reading the database here.
        await new Promise((r) => setTimeout(r, 300));
        assert.ok(pulled <= 3, `${pulled} batches read from the database for 1 sent`);
      }
      if (chunks % 50 === 0) peak = Math.max(peak, _liveBytes() - base);
    }
    assert.equal(lines, STREAM_ROWS);
    assert.equal(last.at(-1), 10, "the body ends with a newline");
    const lastLine = new TextDecoder().decode(
      last.subarray(last.lastIndexOf(10, last.length - 2) + 1),
    );
    assert.deepEqual([JSON.parse(first).seq, JSON.parse(lastLine).seq], [1, STREAM_ROWS]);
    assert.equal(JSON.parse(first).driverId, driverId);
    console.log(
      `ndjson: ${lines} lines, ${(bytes / 1e6).toFixed(1)} MB sent, ` +
        `peak growth of live heap + buffers ${(peak / 1e6).toFixed(1)} MB`,
    );
    assert.ok(peak < bytes / 5, `memory grew by ${peak} bytes while streaming ${bytes}`);
  });
});

Deno.test("GET /drivers/:id/history on a real database: ISO and epoch-ms bounds, fixes past retention never read", async () => {
  await withSchema(async (connect) => {
    const sql = connect();
    await migrate(sql);
    const history = new PostgresHistoryStore(sql);
    const driverId = `rt-${runId()}`;
    const hour = 3_600_000;
    const now = Date.now();
    // A one-day window, so the old rows sit in days a day-partitioned table surely has. The
    // first two are still in the table (not pruned yet) but older than the window.
    const times = [now - 30 * hour, now - 26 * hour, now - 20 * hour, now - 10 * hour, now - hour];
    await history.insertBatch(times.map((ts) => _fix(driverId, ts)));
    const app = mounted(driversHttpRoute({
      secret: SECRET,
      store: history,
      cursor: (id, range) => historyCursor(sql, id, range),
      latestPosition: () => Promise.resolve(undefined),
      retentionDays: 1,
    }));
    const headers = await bearer("driver", driverId);
    const get = async (query: string) => {
      const res = await app.request(`/drivers/${driverId}/history?${query}`, { headers });
      assert.equal(res.status, 200, query);
      return res;
    };
    const iso = (ms: number) => new Date(ms).toISOString();
    const all = await (await get(`from=${iso(now - 50 * hour)}`)).json();
    assert.deepEqual(all.points.map((p: LocationRecord) => p.ts), times.slice(2));
    assert.equal(all.retention.days, 1);
    assert.ok(Math.abs(Date.parse(all.retention.oldest) - (now - 24 * hour)) < 60_000);
    const window = await (await get(`from=${times[2]}&to=${iso(times[3]!)}`)).json();
    assert.deepEqual(window.points.map((p: LocationRecord) => p.ts), times.slice(2, 4));
    assert.equal(window.retention, undefined, "no note for a range inside the window");
    const old = await (await get(`from=${times[0]}&to=${iso(times[1]!)}`)).json();
    assert.deepEqual([old.points, old.next, old.retention.days], [[], null, 1]);
    const streamed = await (await get(`stream=ndjson&from=${times[0]}`)).text();
    assert.deepEqual(
      streamed.trim().split("\n").map((l) => JSON.parse(l).ts),
      times.slice(2),
    );
    const seconds = await app.request(`/drivers/${driverId}/history?to=${Math.floor(now / 1000)}`, {
      headers,
    });
    assert.equal(seconds.status, 400);
    assert.equal((await seconds.json()).error.code, "timestamp_not_ms");
  });
});

Deno.test("an NDJSON stream the client drops mid-way closes its cursor and frees the connection", async () => {
  await withSchema(async (connect) => {
    const sql = connect(1); // one connection: a cursor left open would block the next query
    await migrate(sql);
    const driverId = `cx-${runId()}`;
    const t0 = Date.now() - 3_600_000;
    await createDayPartitions(sql, daysOf([t0, t0 + 5000]), "test");
    await sql`
      INSERT INTO driver_locations (driver_id, seq, ts, lat, lon, region, received_at)
      SELECT ${driverId}, g, ${t0}::bigint + g, 12.9, 77.6, 'south', ${t0}::bigint + g
      FROM generate_series(1, 5000) AS g`;
    const app = mounted(driversHttpRoute({
      secret: SECRET,
      store: new PostgresHistoryStore(sql),
      cursor: (id, range) => historyCursor(sql, id, range),
      latestPosition: () => Promise.resolve(undefined),
    }));
    const res = await app.request(`/drivers/${driverId}/history?stream=ndjson`, {
      headers: await bearer("driver", driverId),
    });
    const reader = res.body!.getReader();
    const first = await reader.read();
    assert.equal(first.done, false);
    await reader.cancel(); // while the next batch is being fetched
    let timer: ReturnType<typeof setTimeout> | undefined;
    const answered = await Promise.race([
      sql`SELECT count(*)::int AS n FROM driver_locations WHERE driver_id = ${driverId}`,
      new Promise<"blocked">((r) => timer = setTimeout(() => r("blocked"), 5_000)),
    ]);
    clearTimeout(timer);
    assert.notEqual(answered, "blocked", "the connection is still held by the cursor");
  });
});
