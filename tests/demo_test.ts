import assert from "node:assert/strict";
import { connectPostgres } from "../infra/postgres/connect_postgres.ts";
import { freePorts } from "./_free_ports.ts";
import { cleanupRun, DATABASE_URL, eventually, runId, testEnv } from "./_support.ts";

const DEMO = new URL("../demo/demo.ts", import.meta.url).pathname;

/** The pids of `pid`'s descendants, from /proc (Linux). */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const e of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(e.name)) continue;
    try {
      const stat = Deno.readTextFileSync(`/proc/${e.name}/stat`);
      // pid (comm) state ppid ...: comm may hold spaces and parentheses; ppid follows the last ")".
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(e.name)]);
    } catch { /* gone meanwhile */ }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

function alive(pid: number): boolean {
  try {
    // A zombie has exited: count it as gone.
    return !/^\d+ \(.*\) Z/.test(Deno.readTextFileSync(`/proc/${pid}/stat`));
  } catch {
    return false;
  }
}

/**
 * Seconds from `t0` (performance.now()) to the first `picked_up` and the first `delivered` of the
 * order, as its customer's socket shows them (the snapshot on connect, then status frames).
 */
function watchStatuses(url: string, token: string, t0: number) {
  const seen: { picked_up?: number; delivered?: number } = {};
  const ws = new WebSocket(url, { headers: { authorization: `Bearer ${token}` } });
  const note = (status: unknown) => {
    const at = (performance.now() - t0) / 1000;
    if (status === "picked_up" || status === "delivered") seen.picked_up ??= at;
    if (status === "delivered") seen.delivered ??= at;
  };
  ws.onmessage = (e) => {
    const f = JSON.parse(String(e.data));
    if (f.type === "snapshot") note(f.order?.status);
    if (f.type === "status") note(f.status);
  };
  return { seen, close: () => ws.close() };
}

Deno.test({
  name:
    "deno task demo: at real time the printed order is picked up and delivered within 20 s of the demo being ready, restaurants have zones with events, the pages answer with their tokens, SIGINT stops the city and the service and deletes the zones",
  fn: async () => {
    const run = runId();
    const prefix = `demo-${run}`;
    const port = freePorts(1);
    // The dev secret (no JWT_SECRET), the test database, a per-run topic and groups.
    const { PORT: _p, JWT_SECRET: _s, ...inherited } = Deno.env.toObject();
    const { PORT: _q, JWT_SECRET: _t, ...env } = testEnv(run);
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        DEMO,
        "--drivers=20",
        "--orders=10",
        `--port=${port}`,
        `--prefix=${prefix}`,
      ],
      env: { ...inherited, ...env },
      clearEnv: true,
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    let out = "";
    let err = "";
    const pumps = [
      (async () => {
        for await (const t of child.stdout.pipeThrough(new TextDecoderStream())) out += t;
      })(),
      (async () => {
        for await (const t of child.stderr.pipeThrough(new TextDecoderStream())) err += t;
      })(),
    ];
    let exited = false;
    const status = child.status.then((s) => {
      exited = true;
      return s;
    });
    const sql = connectPostgres(DATABASE_URL, { max: 1 });
    try {
      const urls = () => [...out.matchAll(/http:\/\/localhost:\d+\/\S*/g)].map((m) => m[0]);
      await eventually("the four page URLs", () => {
        if (exited) throw new Error(`the demo exited early:\n${err}`);
        return Promise.resolve(urls().length >= 4);
      }, 180_000).catch((e) => {
        throw new Error(`${e.message}\n${err}`);
      });
      // The demo is ready: from here its printed order must be picked up and delivered in 20 s,
      // as the customer's socket (the tracking page's) shows it.
      const t0 = performance.now();
      const [fleet, track, restaurant, replay] = urls().map((u) => new URL(u));
      const orderId = track!.pathname.split("/").pop()!;
      const statuses = watchStatuses(
        `ws://127.0.0.1:${port}/ws/orders/${orderId}`,
        track!.searchParams.get("token")!,
        t0,
      );
      assert.equal(fleet!.pathname, "/");
      assert.match(track!.pathname, /^\/track\/[\w-]+$/);
      assert.match(restaurant!.pathname, new RegExp(`^/restaurant/${prefix}-restaurant-\\d+$`));
      assert.equal(replay!.pathname, "/replay");
      for (const u of [fleet!, track!, restaurant!, replay!]) {
        const res = await fetch(new URL(u.pathname + u.search, `http://127.0.0.1:${port}`));
        assert.equal(res.status, 200, u.href);
        assert.match(res.headers.get("content-type") ?? "", /text\/html/);
        await res.body?.cancel();
      }
      // The printed tokens are the service's: the customer reads its order, ops reads it too.
      for (const u of [track!, fleet!]) {
        const res = await fetch(`http://127.0.0.1:${port}/orders/${orderId}`, {
          headers: { authorization: `Bearer ${u.searchParams.get("token")}` },
        });
        assert.equal(res.status, 200, await res.clone().text());
        assert.equal((await res.json()).id, orderId);
      }

      await eventually(
        "the printed order delivered",
        () => Promise.resolve(statuses.seen.delivered !== undefined),
        40_000,
      ).catch((e) => {
        throw new Error(`${e.message} (seen ${JSON.stringify(statuses.seen)})\n${err}`);
      });
      statuses.close();
      const { picked_up: pickedUpS, delivered: deliveredS } = statuses.seen;
      console.log(
        `demo ready -> picked_up ${pickedUpS?.toFixed(1)} s, delivered ` +
          `${deliveredS?.toFixed(1)} s`,
      );
      assert.ok(pickedUpS! <= 20, `picked up ${pickedUpS} s after the demo was ready`);
      assert.ok(deliveredS! <= 20, `delivered ${deliveredS} s after the demo was ready`);

      // Each restaurant with an order has its zone, and the zones have events (the drivers
      // waiting at the opening's restaurants are inside theirs).
      const ops = { authorization: `Bearer ${fleet!.searchParams.get("token")}` };
      const like = `${prefix}-%`;
      const zoneIds = new Set<string>();
      await eventually("zones and a zone event of the demo", async () => {
        const zones = await (await fetch(`http://127.0.0.1:${port}/zones`, { headers: ops }))
          .json();
        for (const z of zones.zones) if (z.restaurantId?.startsWith(prefix)) zoneIds.add(z.id);
        const events = await (await fetch(`http://127.0.0.1:${port}/zones/events?limit=100`, {
          headers: ops,
        })).json();
        return zoneIds.size >= 3 &&
          events.events.some((e: { zoneId: string }) => zoneIds.has(e.zoneId));
      }, 20_000);
      const [withOrders] = await sql`SELECT count(DISTINCT restaurant_id)::int AS n FROM orders
        WHERE restaurant_id LIKE ${like}`;
      assert.ok(zoneIds.size <= withOrders!.n, "a zone only for a restaurant with an order");
      await eventually("a notification of the demo stored", async () => {
        const [row] = await sql`SELECT count(*)::int AS n FROM notifications n
          JOIN orders o ON o.id = n.order_id WHERE o.restaurant_id LIKE ${like}`;
        return row!.n > 0;
      }, 10_000);
      const [kinds] = await sql`SELECT
          count(*) FILTER (WHERE n.kind = 'driver_arriving')::int AS arriving,
          count(*) FILTER (WHERE n.kind = 'driver_near')::int AS near
        FROM notifications n JOIN orders o ON o.id = n.order_id WHERE o.restaurant_id LIKE ${like}`;
      const [orders] = await sql`SELECT
          count(*)::int AS total,
          count(*) FILTER (WHERE status = 'delivered')::int AS delivered,
          count(*) FILTER (WHERE status = 'picked_up')::int AS picked_up
        FROM orders WHERE restaurant_id LIKE ${like}`;
      console.log(
        `demo after ${((performance.now() - t0) / 1000).toFixed(1)} s of city: ` +
          `orders ${JSON.stringify(orders)}, notifications ${JSON.stringify(kinds)}`,
      );
      assert.ok(kinds!.arriving > 0 || kinds!.near > 0);

      const before = descendants(child.pid);
      assert.ok(before.length > 0, "the demo runs the service as a child");
      child.kill("SIGINT");
      const timer = setTimeout(() => {
        try {
          child.kill("SIGKILL");
        } catch { /* gone */ }
      }, 45_000);
      const s = await status;
      clearTimeout(timer);
      assert.equal(s.code, 0, `the demo exits cleanly after SIGINT:\n${err}`);
      assert.match(err, /service stopped \(exit code 0\)/);
      const left = before.filter(alive);
      assert.deepEqual(left, [], `processes left: ${left.join(", ")}`);
      assert.match(err, /restaurant zones deleted/);
      const [zonesLeft] =
        await sql`SELECT count(*)::int AS n FROM zones WHERE restaurant_id LIKE ${like}`;
      assert.equal(zonesLeft!.n, 0, "a clean stop deletes the demo's zones");
    } finally {
      if (!exited) {
        for (const pid of descendants(child.pid)) {
          try {
            Deno.kill(pid, "SIGKILL");
          } catch { /* gone */ }
        }
        try {
          child.kill("SIGKILL");
        } catch { /* gone */ }
      }
      await status;
      await Promise.all(pumps);
      await sql.end();
      await cleanupRun(run);
    }
  },
});
