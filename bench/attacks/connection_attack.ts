/**
 * The connection attacks of docs/limits.md against a fresh service (`main.ts`, its own topics):
 *
 * - `idle`: `--connections` TCP connections opened as fast as possible and never written to
 *   (abf604d died of EMFILE at about 20,000);
 * - `slow`: `--connections` connections that send a request line, then one header line every 5 s
 *   (slowloris).
 *
 * Meanwhile another user asks `GET /healthz` every 200 ms (2 s time-out). It prints, per attack:
 * whether the service survived, its peak RSS and open files, the connections the attacker held
 * open after 5 s and at the end, and the other user's answers and their p50/max time.
 *
 *   bash tools/with_open_files.sh deno run -A bench/attacks/connection_attack.ts \
 *     [--attack idle|slow] [--connections 24000] [--procs 2] [--seconds 40]
 *
 * The attacker runs in `--procs` child processes (one process's open-files limit caps what it
 * can hold).
 *
 * Needs the broker and PostgreSQL (KAFKA_BROKERS, DATABASE_URL, as every bench script).
 */
import { parseArgs } from "node:util";
import { startIsolatedService } from "./isolated_service.ts";
import { percentile } from "../../sim/percentile.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    attack: { type: "string", default: "idle" },
    connections: { type: "string", default: "24000" },
    seconds: { type: "string", default: "40" },
    port: { type: "string", default: "18433" },
    // Attacker processes (one process's open-files limit caps what it can hold).
    procs: { type: "string", default: "2" },
    // Internal: run as one attacker process against --port, holding its share for --seconds.
    child: { type: "boolean", default: false },
  },
});
const count = Number(values.connections);
const seconds = Number(values.seconds);
const port = Number(values.port);
const run = crypto.randomUUID().slice(0, 8);

function _status(pid: number, field: string): number {
  try {
    const text = Deno.readTextFileSync(`/proc/${pid}/status`);
    return Number(text.match(new RegExp(`^${field}:\\s+(\\d+)`, "m"))?.[1] ?? Number.NaN);
  } catch {
    return Number.NaN; // gone
  }
}

function _openFiles(pid: number): number {
  try {
    return [...Deno.readDirSync(`/proc/${pid}/fd`)].length;
  } catch {
    return Number.NaN;
  }
}

/** Opens the attacker's connections (loopback has about 28,000 ephemeral ports). */
async function _open(conns: Deno.Conn[], slow: boolean): Promise<number> {
  let failed = 0;
  const encoder = new TextEncoder();
  const one = async () => {
    try {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      if (slow) await conn.write(encoder.encode("GET /healthz HTTP/1.1\r\nHost: x\r\n"));
      conns.push(conn);
    } catch {
      failed++;
    }
  };
  for (let i = 0; i < count; i += 500) {
    await Promise.all(Array.from({ length: Math.min(500, count - i) }, one));
  }
  return failed;
}

/** How many of `conns` the server has not closed: a read that would block means still open. */
async function _stillOpen(conns: Deno.Conn[]): Promise<number> {
  const buffer = new Uint8Array(256);
  const open = await Promise.all(conns.map(async (conn) => {
    const read = conn.read(buffer).then((n) => n !== null, () => false);
    const idle = new Promise<boolean>((r) => setTimeout(() => r(true), 300));
    return await Promise.race([read, idle]);
  }));
  return open.filter(Boolean).length;
}

if (values.child) {
  const conns: Deno.Conn[] = [];
  const failed = await _open(conns, values.attack === "slow");
  const trickle = values.attack === "slow"
    ? setInterval(() => {
      for (const c of conns) c.write(new TextEncoder().encode("X-Slow: 1\r\n")).catch(() => {});
    }, 5_000)
    : undefined;
  await new Promise((r) => setTimeout(r, 5_000));
  const openAfter5s = await _stillOpen(conns);
  await new Promise((r) => setTimeout(r, Math.max(0, seconds * 1000 - 10_000)));
  clearInterval(trickle);
  console.log(JSON.stringify({ failed, openAfter5s, openAtEnd: await _stillOpen(conns) }));
  for (const c of conns) {
    try {
      c.close();
    } catch { /* closed */ }
  }
  Deno.exit(0);
}

const { service } = await startIsolatedService(`conn-${values.attack}`, { port, run });
const pid = service.pid;
const answers = { ok: 0, failed: 0, times: [] as number[] };
let peakRss = _status(pid, "VmRSS");
let peakFiles = _openFiles(pid);
const baselineRss = peakRss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, _status(pid, "VmRSS") || 0);
  peakFiles = Math.max(peakFiles, _openFiles(pid) || 0);
}, 100);
const until = Date.now() + seconds * 1000;
const other = (async () => {
  while (Date.now() < until) {
    const started = performance.now();
    try {
      const r = await fetch(`http://127.0.0.1:${port}/healthz`, {
        signal: AbortSignal.timeout(2_000),
      });
      await r.body?.cancel();
      answers[r.ok ? "ok" : "failed"]++;
      answers.times.push(performance.now() - started);
    } catch {
      answers.failed++;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
})();
const procs = Number(values.procs);
const children = Array.from({ length: procs }, () =>
  new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL(import.meta.url).pathname,
      "--child",
      `--attack=${values.attack}`,
      `--connections=${Math.ceil(count / procs)}`,
      `--seconds=${seconds}`,
      `--port=${port}`,
    ],
    stdout: "piped",
    stderr: "inherit",
  }).output());
const filesAfter5s = await new Promise<number>((resolve) =>
  setTimeout(() => resolve(_openFiles(pid)), 5_000)
);
const results = (await Promise.all(children)).map((o) =>
  JSON.parse(new TextDecoder().decode(o.stdout).trim().split("\n").pop() ?? "{}")
);
await other;
const sum = (key: string) => results.reduce((n, r) => n + (r[key] ?? 0), 0);
const failedToOpen = sum("failed");
const openAfter5s = sum("openAfter5s");
const openAtEnd = sum("openAtEnd");
clearInterval(sampler);
const alive = !Number.isNaN(_status(pid, "VmRSS"));
const filesAtEnd = _openFiles(pid);
console.log(JSON.stringify(
  {
    attack: values.attack,
    connections: count,
    failedToOpen,
    seconds,
    serviceAlive: alive,
    baselineRssMiB: Math.round(baselineRss / 1024),
    peakRssMiB: Math.round(peakRss / 1024),
    peakOpenFiles: peakFiles,
    serviceOpenFilesAfter5s: filesAfter5s,
    serviceOpenFilesAtEnd: filesAtEnd,
    // As the attacker sees them: a connection the kernel completed but the service never
    // accepted (a full accept queue) counts as open here.
    clientSideOpenAfter5s: openAfter5s,
    clientSideOpenAtEnd: openAtEnd,
    otherUser: {
      ok: answers.ok,
      failed: answers.failed,
      p50Ms: Math.round(percentile(answers.times.sort((a, b) => a - b), 50)),
      maxMs: Math.round(Math.max(...answers.times, 0)),
    },
  },
  null,
  2,
));
await service.stop();
