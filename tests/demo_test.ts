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

Deno.test({
  name:
    "deno task demo: 20 drivers deliver an order and fire a notification within 60 s, the printed pages answer with their tokens, SIGINT stops the city and the service",
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
        "--time-scale=4",
        "--area-km=1",
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
      const t0 = performance.now();
      const [fleet, track, restaurant, replay] = urls().map((u) => new URL(u));
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
      const orderId = track!.pathname.split("/").pop()!;
      for (const u of [track!, fleet!]) {
        const res = await fetch(`http://127.0.0.1:${port}/orders/${orderId}`, {
          headers: { authorization: `Bearer ${u.searchParams.get("token")}` },
        });
        assert.equal(res.status, 200, await res.clone().text());
        assert.equal((await res.json()).id, orderId);
      }

      const like = `${prefix}-%`;
      await eventually("an order of the demo delivered", async () => {
        const [row] = await sql`SELECT count(*)::int AS n FROM orders
          WHERE restaurant_id LIKE ${like} AND status = 'delivered'`;
        return row!.n > 0;
      }, 60_000).catch((e) => {
        throw new Error(`${e.message}\n${err}`);
      });
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
