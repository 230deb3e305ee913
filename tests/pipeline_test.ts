import assert from "node:assert/strict";
import { startService } from "../service.ts";
import { connectPostgres } from "../infra/postgres/connect_postgres.ts";
import { cleanupRun, DATABASE_URL, eventually, runId, testConfig, token } from "./_support.ts";
import { DriverClient, type TestFix, track } from "./_driver_client.ts";

const DRIVERS = 50;
const FIXES = 200;

interface Plan {
  id: string;
  fixes: TestFix[];
  frames: string[];
  rejections: { code: string; ts?: number }[];
}

/** 200 good fixes per driver with duplicates, stale fixes, out-of-range fixes and junk mixed in. */
function plan(id: string, index: number, start: number): Plan {
  const fixes = track({ lat: 12.9 + index * 0.004, lon: 77.5 + index * 0.002, ts: start }, FIXES);
  const frames: string[] = [];
  const rejections: Plan["rejections"] = [];
  const frame = (fix: TestFix) => JSON.stringify({ type: "location", ...fix });
  fixes.forEach((fix, j) => {
    frames.push(frame(fix));
    if (j % 20 === 5) {
      frames.push(frame(fix));
      rejections.push({ code: "duplicate", ts: fix.ts });
    }
    if (j % 25 === 7) {
      frames.push(frame({ ...fix, ts: fix.ts - 500 }));
      rejections.push({ code: "stale", ts: fix.ts - 500 });
    }
    if (j % 30 === 11) {
      frames.push(frame({ ...fix, lat: 91, ts: fix.ts + 1 }));
      rejections.push({ code: "out_of_range", ts: fix.ts + 1 });
    }
    if (j % 50 === 13) {
      frames.push("{not json");
      rejections.push({ code: "invalid_json" });
    }
  });
  return { id, fixes, frames, rejections };
}

Deno.test({
  name: "pipeline: 50 drivers' accepted fixes reach PostgreSQL exactly once and read back in order",
  fn: () => pipeline({}),
});

Deno.test({
  name:
    "pipeline, the producer in its own thread (KAFKA_PRODUCER_THREAD=1): the same, exactly once",
  fn: () => pipeline({ KAFKA_PRODUCER_THREAD: "1" }),
});

/** 50 drivers' planned frames through a service started with `extra` settings; history checked. */
async function pipeline(extra: Record<string, string>): Promise<void> {
  const run = runId();
  const service = await startService(testConfig(run, extra));
  const sql = connectPostgres(DATABASE_URL);
  const url = `ws://127.0.0.1:${service.port}/ws/driver`;
  const start = Date.now() - 10 * 60_000;
  const plans = Array.from({ length: DRIVERS }, (_, i) => plan(`drv-${run}-${i}`, i, start));
  const clients = await Promise.all(plans.map(async (p) => {
    const client = new DriverClient(url, await token("driver", p.id));
    await client.connect();
    return client;
  }));
  try {
    await Promise.all(plans.map(async (p, i) => {
      for (let k = 0; k < p.frames.length; k += 25) {
        for (const text of p.frames.slice(k, k + 25)) clients[i]!.sendText(text);
        await new Promise((r) => setTimeout(r, 5));
      }
    }));
    await eventually(
      "every driver's last fix acked and every rejection answered",
      () =>
        Promise.resolve(plans.every((p, i) =>
          clients[i]!.ackedTs === p.fixes.at(-1)!.ts &&
          clients[i]!.errors.length >= p.rejections.length
        )),
    );
    plans.forEach((p, i) => {
      const got = clients[i]!.errors.map((e) => ({
        code: e.code,
        ...(e.ts === undefined ? {} : { ts: e.ts }),
      }));
      assert.deepEqual(got, p.rejections, `error frames of ${p.id}`);
    });

    const ids = plans.map((p) => p.id);
    const total = DRIVERS * FIXES;
    await eventually("all accepted fixes in PostgreSQL", async () => {
      const [row] =
        await sql`select count(*)::int as n from driver_locations where driver_id = any(${ids})`;
      return row!.n >= total;
    });
    const rows = await sql<{ driver_id: string; ts: string; seq: string }[]>`
      select driver_id, ts, seq from driver_locations where driver_id = any(${ids})`;
    assert.equal(rows.length, total, "no fix stored twice, none missing");
    const byDriver = Map.groupBy(rows, (r) => r.driver_id);
    for (const p of plans) {
      const stored = byDriver.get(p.id)!.map((r) => Number(r.ts)).sort((a, b) => a - b);
      assert.deepEqual(stored, p.fixes.map((f) => f.ts), `stored fixes of ${p.id}`);
    }

    // History reads back time-ordered through the API, page by page.
    for (const p of plans.slice(0, 5)) {
      const auth = { Authorization: `Bearer ${await token("driver", p.id)}` };
      const points: { ts: number; seq: number }[] = [];
      let after: number | null = null;
      do {
        const query: string = after === null ? "limit=64" : `limit=64&after=${after}`;
        const res = await fetch(
          `http://127.0.0.1:${service.port}/drivers/${p.id}/history?${query}`,
          { headers: auth },
        );
        assert.equal(res.status, 200);
        const page = await res.json();
        points.push(...page.points);
        after = page.next;
      } while (after !== null);
      assert.deepEqual(points.map((x) => x.ts), p.fixes.map((f) => f.ts));
      assert.ok(
        points.every((x, k) => k === 0 || x.seq > points[k - 1]!.seq),
        "seq strictly increases with ts",
      );
    }
    const other = await fetch(
      `http://127.0.0.1:${service.port}/drivers/${plans[1]!.id}/history`,
      {
        headers: { Authorization: `Bearer ${await token("driver", plans[0]!.id)}` },
      },
    );
    assert.equal(other.status, 403, "a driver cannot read another driver's history");
    await other.body?.cancel();
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    await service.close();
    await cleanupRun(run);
    await sql.end();
  }
}
