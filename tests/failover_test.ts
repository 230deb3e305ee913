import assert from "node:assert/strict";
import { connectPostgres } from "../infra/postgres/connect_postgres.ts";
import { cleanupRun, DATABASE_URL, eventually, runId, testEnv, token } from "./_support.ts";
import { DriverClient, type TestFix, track } from "./_driver_client.ts";
import { ServiceProcess } from "../sim/service_process.ts";
import { WsClient } from "./_ws_client.ts";
import { assertHistoryExact } from "./_history_check.ts";

const DRIVERS = 6;
const FIXES = 120;

/** Sends `fixes[from..]` one every few ms until done or the socket drops; returns the next index. */
async function stream(client: DriverClient, fixes: TestFix[], from: number) {
  let i = from;
  for (; i < fixes.length && client.open; i++) {
    client.send(fixes[i]!);
    await new Promise((r) => setTimeout(r, 15));
  }
  return i;
}

const port = () => String(20_000 + Math.floor(Math.random() * 20_000));

Deno.test("failover: when an instance dies, its drivers and viewers continue on another; history has no gap and no duplicate", async () => {
  const run = runId();
  const base = { ...Deno.env.toObject(), ...testEnv(run) };
  const a = await ServiceProcess.start({
    env: { ...base, PORT: port(), INSTANCE_ID: `a-${run}` },
  });
  const b = await ServiceProcess.start({
    env: { ...base, PORT: port(), INSTANCE_ID: `b-${run}` },
  });
  const sql = connectPostgres(DATABASE_URL);
  const ids = Array.from({ length: DRIVERS }, (_, i) => `fo-${run}-${i}`);
  const start = Date.now() - 10 * 60_000;
  const fixes = ids.map((_, i) => track({ lat: 12.92 + i * 0.01, lon: 77.55, ts: start }, FIXES));
  const tokens = await Promise.all(ids.map((id) => token("driver", id)));
  const ops = { Authorization: `Bearer ${await token("ops", "ops")}` };
  const viewers: WsClient[] = [];
  let drivers = ids.map((_, i) =>
    new DriverClient(`ws://127.0.0.1:${a.port}/ws/driver`, tokens[i]!)
  );
  try {
    // One order per driver, watched by its customer on instance A, where the driver is too.
    const orders = await Promise.all(ids.map(async (driverId, i) => {
      const first = fixes[i]![0]!;
      const res = await fetch(`http://127.0.0.1:${b.port}/orders`, {
        method: "POST",
        headers: { ...ops, "content-type": "application/json" },
        body: JSON.stringify({
          restaurantId: `fo-r-${run}`,
          customerId: `fo-c-${run}-${i}`,
          pickup: { lat: first.lat + 0.01, lon: first.lon },
          dropoff: { lat: first.lat + 0.02, lon: first.lon },
        }),
      });
      const order = await res.json();
      const assigned = await fetch(`http://127.0.0.1:${b.port}/orders/${order.id}/assign`, {
        method: "POST",
        headers: { ...ops, "content-type": "application/json" },
        body: JSON.stringify({ driverId }),
      });
      assert.equal(assigned.status, 200);
      return order as { id: string; customerId: string };
    }));
    const watch = async (port: number, i: number) => {
      const viewer = await WsClient.connect(
        `ws://127.0.0.1:${port}/ws/orders/${orders[i]!.id}`,
        await token("customer", orders[i]!.customerId),
      );
      viewers.push(viewer);
      return viewer;
    };
    const before = await Promise.all(orders.map((_, i) => watch(a.port, i)));
    await Promise.all(drivers.map((d) => d.connect()));
    drivers.forEach((d, i) => d.send(fixes[i]![0]!));
    await eventually(
      "the first fix acked",
      () => Promise.resolve(drivers.every((d, i) => d.ackedTs === fixes[i]![0]!.ts)),
    );
    const sending = drivers.map((d, i) => stream(d, fixes[i]!, 1));
    await eventually(
      "customers on A seeing positions",
      () => Promise.resolve(before.every((v) => v.frames("location").length > 3)),
    );

    // Instance A dies without warning, mid-stream.
    assert.equal(await a.stop("SIGKILL"), 137);
    const sentBefore = await Promise.all(sending);
    assert.ok(sentBefore.every((n) => n < FIXES), `killed mid-stream: ${sentBefore}`);
    const acked = drivers.map((d) => d.ackedTs);
    await Promise.all(before.map((v) => v.closed));
    const shownBefore = before.map((v) => v.frames("location").at(-1)!.seq as number);

    // Everyone reconnects to B: drivers resend after their last ack, customers get a snapshot.
    drivers = ids.map((_, i) =>
      Object.assign(new DriverClient(`ws://127.0.0.1:${b.port}/ws/driver`, tokens[i]!), {
        ackedTs: acked[i]!,
      })
    );
    await Promise.all(drivers.map((d) => d.connect()));
    const after = await Promise.all(orders.map((_, i) => watch(b.port, i)));
    await eventually(
      "a snapshot for every reconnected customer",
      () => Promise.resolve(after.every((v) => v.frames("snapshot").length === 1)),
    );
    await Promise.all(drivers.map((d, i) => {
      const next = fixes[i]!.findIndex((f) => f.ts > d.ackedTs);
      return stream(d, fixes[i]!, next === -1 ? FIXES : next);
    }));
    await eventually(
      "every fix acked by B",
      () => Promise.resolve(drivers.every((d, i) => d.ackedTs === fixes[i]!.at(-1)!.ts)),
      60_000,
    );
    await eventually(
      "every customer at its driver's last position",
      () =>
        Promise.resolve(
          after.every((v, i) => v.frames("location").at(-1)?.ts === fixes[i]!.at(-1)!.ts),
        ),
    );
    after.forEach((v, i) => {
      const seqs = v.frames("location").map((l) => l.seq as number);
      assert.ok(seqs.every((s, k) => k === 0 || s > seqs[k - 1]!), "in order after reconnecting");
      assert.ok(seqs.at(-1)! > shownBefore[i]!, "seq keeps growing across instances");
    });

    // History: every fix exactly once, although A died with fixes unflushed and offsets uncommitted.
    await assertHistoryExact(sql, new Map(ids.map((id, i) => [id, fixes[i]!])));
    await Promise.all([...drivers, ...viewers].map((c) => c.close()));
    assert.equal(await b.stop("SIGTERM"), 0, b.output);
  } finally {
    await Promise.all(drivers.map((d) => d.close().catch(() => {})));
    await Promise.all(viewers.map((v) => v.close().catch(() => {})));
    await a.stop("SIGKILL");
    await b.stop("SIGKILL");
    await sql.end();
    await cleanupRun(run);
  }
});
