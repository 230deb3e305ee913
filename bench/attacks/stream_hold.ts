/**
 * Issue 19: `GET /drivers/:id/history?stream=ndjson` requests opened and never read. Starts the
 * service (`main.ts`, its own topics), stores `--rows` fixes of one driver, opens `--streams` raw
 * sockets that ask for that driver's NDJSON stream and then read nothing, and for `--seconds`
 * times another user's `GET /orders/:id` (and `/readyz`) once a second, each with a 15 s client
 * timeout, while sampling the service's RSS (`/proc/<pid>/status`) every 100 ms. docs/limits.md
 * ("History streams") quotes the result.
 *
 *   deno run -A bench/attacks/stream_hold.ts [--streams 12] [--as driver|ops] [--rows 150000]
 *     [--seconds 30] [--env KEY=VALUE,...]
 *
 * `--as driver`: every stream on the driver's own token (one principal); `--as ops`: each on the
 * token of another ops user (as many principals as streams).
 */
import { parseArgs } from "node:util";
import { sign } from "hono/jwt";
import postgres from "postgres";
import { startIsolatedService } from "./isolated_service.ts";
import { seedHistory } from "../../tests/_seed_history.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    streams: { type: "string", default: "12" },
    as: { type: "string", default: "driver" },
    rows: { type: "string", default: "150000" },
    seconds: { type: "string", default: "30" },
    port: { type: "string", default: "18433" },
    env: { type: "string", default: "" },
  },
});
const rows = Number(values.rows);
const run = crypto.randomUUID().slice(0, 8);
const env = Object.fromEntries(
  values.env.split(",").filter((kv) => kv.includes("=")).map((kv) => kv.split("=", 2)),
);

function _rssMiB(pid: number, field = "VmRSS"): number {
  const status = Deno.readTextFileSync(`/proc/${pid}/status`);
  return Number(status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, "m"))?.[1]) / 1024;
}

/** Asks for `path` on a raw socket and reads only the status line: the body is never read. */
async function _unread(port: number, path: string, bearer: string) {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const head = `GET ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${bearer}\r\n\r\n`;
  await conn.write(new TextEncoder().encode(head));
  const buffer = new Uint8Array(512);
  const n = await conn.read(buffer);
  return { conn, status: Number(new TextDecoder().decode(buffer.subarray(9, 12))), got: n };
}

async function _seed(url: string, driverId: string, t0: number): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await seedHistory(sql, driverId, { t0, rows, stepMs: 10 });
  } finally {
    await sql.end();
  }
}

/** Milliseconds `fetch(url)` took to answer, or `null` after 15 s; and the status. */
async function _timed(url: string, headers: Record<string, string> = {}) {
  const start = performance.now();
  try {
    const res = await fetch(url, { headers, signal: AbortSignal.timeout(15_000) });
    await res.body?.cancel();
    return { ms: performance.now() - start, status: res.status };
  } catch {
    return { ms: null, status: 0 };
  }
}

const port = Number(values.port);
const { service, secret } = await startIsolatedService("stream-hold", { port, run, env });
const token = (role: string, sub: string) =>
  sign({ role, sub, exp: Math.floor(Date.now() / 1000) + 3600 }, secret, "HS256");
const base = `http://127.0.0.1:${port}`;
const held: Deno.Conn[] = [];
try {
  const driver = `hold-${run}`;
  // Within the last hour: the day partitions of today exist once the service has started.
  const t0 = Date.now() - 3_600_000;
  await _seed(
    Deno.env.get("DATABASE_URL") ?? "postgres://postgres@127.0.0.1:5432/test",
    driver,
    t0,
  );
  const ops = { Authorization: `Bearer ${await token("ops", `ops-${run}`)}` };
  const created = await fetch(`${base}/orders`, {
    method: "POST",
    headers: { ...ops, "content-type": "application/json" },
    body: JSON.stringify({
      restaurantId: `r-${run}`,
      customerId: `c-${run}`,
      pickup: { lat: 12.93, lon: 77.6 },
      dropoff: { lat: 12.95, lon: 77.6 },
    }),
  });
  const order = (await created.json()).id;
  const customer = { Authorization: `Bearer ${await token("customer", `c-${run}`)}` };
  const idle = await _timed(`${base}/orders/${order}`, customer);
  const baseline = _rssMiB(service.pid);
  let peak = baseline;
  const sampler = setInterval(() => peak = Math.max(peak, _rssMiB(service.pid)), 100);
  const statuses: Record<number, number> = {};
  const path = `/drivers/${driver}/history?stream=ndjson&from=${t0}`;
  for (let i = 0; i < Number(values.streams); i++) {
    const bearer = values.as === "ops"
      ? await token("ops", `ops-${i}-${run}`)
      : await token("driver", driver);
    const s = await _unread(port, path, bearer);
    held.push(s.conn);
    statuses[s.status] = (statuses[s.status] ?? 0) + 1;
  }
  const orders: (number | null)[] = [];
  const ready: number[] = [];
  const end = Date.now() + Number(values.seconds) * 1000;
  while (Date.now() < end) {
    const [o, r] = await Promise.all([
      _timed(`${base}/orders/${order}`, customer),
      _timed(`${base}/readyz`),
    ]);
    orders.push(o.ms);
    ready.push(r.status);
    await new Promise((r) => setTimeout(r, 1000));
  }
  clearInterval(sampler);
  const answered = orders.filter((ms): ms is number => ms !== null).sort((a, b) => a - b);
  console.log(JSON.stringify(
    {
      streams: Number(values.streams),
      as: values.as,
      rows,
      env,
      streamStatuses: statuses,
      idleOrderMs: idle.ms === null ? null : Math.round(idle.ms),
      orderRequests: orders.length,
      orderTimeouts: orders.length - answered.length,
      orderMedianMs: answered.length ? Math.round(answered[answered.length >> 1]!) : null,
      orderMaxMs: answered.length ? Math.round(answered.at(-1)!) : null,
      readyz: ready.reduce<Record<number, number>>((m, s) => (m[s] = (m[s] ?? 0) + 1, m), {}),
      baselineRssMiB: Math.round(baseline),
      peakRssMiB: Math.round(peak),
      hwmMiB: Math.round(_rssMiB(service.pid, "VmHWM")),
    },
    null,
    1,
  ));
} finally {
  for (const conn of held) conn.close();
  await service.stop();
}
