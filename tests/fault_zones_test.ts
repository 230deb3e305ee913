import assert from "node:assert/strict";
import { connectPostgres } from "../infra/postgres/connect_postgres.ts";
import { cleanupRun, DATABASE_URL, runId, testEnv, token } from "./_support.ts";
import { ServiceProcess } from "../sim/service_process.ts";
import { WsClient } from "./_ws_client.ts";
import {
  createZone,
  east,
  EDGE_JITTER_PATH,
  north,
  readAllRecords,
  squarePolygon,
} from "./_zones.ts";

const DRIVERS = 6;
const LAPS = 3;
const FIX_EVERY_MS = 150;

/**
 * One driver driving the edge-jitter path `LAPS` times in real time, through whichever instance
 * is up: when its socket closes (an instance stops) it connects to another and sends again every
 * fix after its last ack.
 */
async function drive(name: string, urls: () => string[], stop: AbortSignal): Promise<void> {
  const fixes = Array.from({ length: LAPS }, () => EDGE_JITTER_PATH).flat()
    .map((m) => ({ lat: north(100), lon: east(m) }));
  const jwt = await token("driver", name);
  let client: WsClient | undefined;
  let acked = 0;
  const sent: { lat: number; lon: number; ts: number }[] = [];
  for (let i = 0; i < fixes.length && !stop.aborted; i++) {
    sent.push({ ...fixes[i]!, ts: Date.now() });
    for (;;) {
      if (client && client.closeCode === undefined) break;
      const up = urls();
      try {
        client = await WsClient.connect(`${up[i % up.length]}/ws/driver`, jwt);
        const resend = sent.slice(0, -1).filter((f) => f.ts > acked);
        if (resend.length > 0) client.send({ type: "locations", points: resend });
      } catch {
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    client!.send({ type: "location", ...sent.at(-1)! });
    acked = Math.max(acked, ...client!.frames("ack").map((a) => a.ts));
    await new Promise((r) => setTimeout(r, FIX_EVERY_MS));
  }
  const last = sent.at(-1)!.ts;
  for (const deadline = Date.now() + 20_000; Date.now() < deadline;) {
    if (client!.frames("ack").some((a) => a.ts >= last)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await client?.close();
}

Deno.test("fault: each zone event is published exactly once across two instances and a restart of one", async () => {
  const run = runId();
  const env = { ...Deno.env.toObject(), ...testEnv(run, { MAX_SPEED_MPS: "100000" }) };
  const start = (name: string) =>
    ServiceProcess.start({ env: { ...env, INSTANCE_ID: `${name}-${run}` } });
  const sql = connectPostgres(DATABASE_URL);
  const alive = new Map<string, ServiceProcess>();
  const urls = () => [...alive.values()].map((s) => `ws://127.0.0.1:${s.port}`);
  const stop = new AbortController();
  let zoneId: string | undefined;
  try {
    alive.set("a", await start("a"));
    alive.set("b", await start("b"));
    const zone = await createZone(alive.get("a")!.port, {
      name: `fault ${run}`,
      dwellSeconds: 1,
      polygon: squarePolygon(),
    });
    assert.equal(zone.status, 201, JSON.stringify(zone.body));
    zoneId = zone.body.id;
    // Instance b reads the zones again within ZONES_REFRESH_MS (5 s) of their creation on a.
    await new Promise((r) => setTimeout(r, 6_000));
    const names = Array.from({ length: DRIVERS }, (_, i) => `zd${i}-${run}`);
    const driving = Promise.all(names.map((n) => drive(n, urls, stop.signal)));
    // Mid-way through the first lap: b stops (SIGTERM), and a new instance takes its place.
    await new Promise((r) => setTimeout(r, 2_500));
    const b = alive.get("b")!;
    alive.delete("b");
    assert.equal(await b.stop("SIGTERM"), 0, b.output);
    alive.set("b2", await start("b2"));
    await driving;

    const expected = DRIVERS * LAPS * 3; // enter, dwell, exit per lap
    const records = await readAllRecords(`zone-events-${run}`, { min: expected, quietMs: 5_000 });
    // Only this run's zone: another test's zone may be in the same database.
    const events = records.filter((r) => r.key === zone.body.id).map((r) => JSON.parse(r.value));
    const ids = events.map((e) => e.id as string);
    const repeated = ids.filter((id, i) => ids.indexOf(id) !== i);
    assert.deepEqual(repeated, [], "no event published twice");
    assert.equal(ids.length, expected, ids.join("\n"));
    for (const name of names) {
      const mine = events.filter((e) => e.driverId === name);
      assert.deepEqual(
        mine.map((e) => `${e.kind}:${e.episode}`),
        [1, 2, 3].flatMap((n) => [`enter:${n}`, `dwell:${n}`, `exit:${n}`]),
        name,
      );
    }
    const [row] = await sql`
      SELECT count(*)::int AS n, count(*) FILTER (WHERE published)::int AS published
      FROM zone_events WHERE zone_id = ${zone.body.id}`;
    assert.deepEqual(row, { n: expected, published: expected });
  } catch (error) {
    for (const [name, s] of alive) {
      console.error(`--- ${name}\n${s.output.split("\n").slice(-30).join("\n")}`);
    }
    throw error;
  } finally {
    stop.abort();
    for (const s of alive.values()) await s.stop("SIGTERM");
    if (zoneId) await sql`DELETE FROM zones WHERE id = ${zoneId}`;
    await sql.end();
    await cleanupRun(run);
  }
});
