/**
 * The correctness checks of `bench/ws_layer/ws_layer.ts`, each on a fresh server:
 *
 * - fragments: one text message sent as continuation frames (1 MiB in 1 KiB fragments, then
 *   256 MiB in 1 MiB fragments) on a raw socket: the close code, and the server's RSS before and
 *   at its peak (sampled every 50 ms). `ws` counts the fragments against `maxPayload` and closes
 *   with 1009 early; Deno assembles the whole message first.
 * - maxConnections (`ws` only): `server.maxConnections = 100`, 150 TCP connections held open,
 *   then one HTTP request on each: how many were answered and how many closed unanswered.
 * - EMFILE: the server under `ulimit -n 1024`, 2,000 TCP connections that send nothing, held 3 s,
 *   then closed: does the process survive and answer an HTTP request afterwards?
 * @module
 */
import { rawSocket } from "../attacks/raw_ws.ts";
import { startServer } from "./ws_layer_procs.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One fragmented message's outcome. */
export interface FragmentOutcome {
  messageBytes: number;
  fragmentBytes: number;
  /** the server's close code, or "dropped" */
  closeCode: string;
  /** whether the client could send the whole message before the server closed */
  sentWhole: boolean;
  seconds: number;
  rssBeforeMiB: number;
  peakRssMiB: number;
  growthMiB: number;
}

/** Sends each message of `sizes` ([bytes, fragment bytes]) on its own socket to a fresh server. */
export async function fragmentCheck(
  impl: string,
  sizes: [number, number][],
): Promise<FragmentOutcome[]> {
  const server = await startServer(impl);
  const out: FragmentOutcome[] = [];
  try {
    for (const [messageBytes, fragmentBytes] of sizes) {
      const ws = await rawSocket({ port: server.port, path: "/ws" });
      if (!ws.ok) throw new Error(`upgrade refused: ${ws.status}`);
      await sleep(500);
      const before = server.memKiB();
      let peak = before;
      const sampler = setInterval(() => peak = Math.max(peak, server.memKiB()), 50);
      const t0 = performance.now();
      const sentWhole = await ws.sendText(messageBytes, fragmentBytes);
      // The server's answer to the last fragment (Deno first turns a large one into a string).
      await sleep(messageBytes > 16 << 20 ? 4_000 : 1_000);
      const closeCode = await ws.close();
      clearInterval(sampler);
      peak = Math.max(peak, server.memKiB());
      const mib = (kib: number) => Math.round(kib / 102.4) / 10;
      out.push({
        messageBytes,
        fragmentBytes,
        closeCode,
        sentWhole,
        seconds: Math.round((performance.now() - t0) / 100) / 10,
        rssBeforeMiB: mib(before),
        peakRssMiB: mib(peak),
        growthMiB: mib(peak - before),
      });
    }
  } finally {
    await server.stop();
  }
  return out;
}

/** Opens up to `count` TCP connections at once; those not connected after `timeoutMs` are dropped. */
async function _connectMany(port: number, count: number, timeoutMs: number) {
  const conns: Deno.TcpConn[] = [];
  let late = false;
  let failed = 0;
  await Promise.all(Array.from({ length: count }, async () => {
    const attempt = Deno.connect({ hostname: "127.0.0.1", port }).then((c) => {
      if (late) c.close();
      else conns.push(c);
    }, () => void (failed += 1));
    await Promise.race([attempt, sleep(timeoutMs)]);
  }));
  late = true;
  return { conns, failed, pending: count - conns.length - failed };
}

/** Sends one HTTP request on `conn`; "answered", "closed" (EOF or reset) or "no answer". */
async function _ask(conn: Deno.TcpConn, timeoutMs: number): Promise<string> {
  const buf = new Uint8Array(512);
  const request = "GET /stats HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  const reply = conn.write(new TextEncoder().encode(request)).then(() => conn.read(buf))
    .then((n) => (n === null ? "closed" : "answered"), () => "closed");
  return await Promise.race([reply, sleep(timeoutMs).then(() => "no answer")]);
}

function _tally(outcomes: string[]): Record<string, number> {
  const t: Record<string, number> = {};
  for (const o of outcomes) t[o] = (t[o] ?? 0) + 1;
  return t;
}

/** `server.maxConnections = limit` on the `ws` server, `connections` connections held open. */
export async function maxConnectionsCheck(impl: string, limit = 100, connections = 150) {
  const server = await startServer(impl, { args: ["--max-connections", String(limit)] });
  try {
    const { conns, failed, pending } = await _connectMany(server.port, connections, 3_000);
    await sleep(500);
    const answers = await Promise.all(conns.map((c) => _ask(c, 3_000)));
    for (const c of conns) c.close();
    await sleep(500);
    return {
      impl,
      maxConnections: limit,
      connections,
      connected: conns.length,
      connectFailed: failed,
      connectPending: pending,
      requests: _tally(answers),
      serverErrors: (await server.stats())?.errors,
    };
  } finally {
    await server.stop();
  }
}

/** The server under `ulimit -n <openFiles>`, `connections` idle TCP connections, then closed. */
export async function emfileCheck(
  impl: string,
  options: { args?: string[]; openFiles?: number; connections?: number } = {},
) {
  const { args = [], openFiles = 1024, connections = 2000 } = options;
  const server = await startServer(impl, { openFiles, args });
  try {
    const { conns, failed, pending } = await _connectMany(server.port, connections, 3_000);
    const cpu0 = server.cpuSeconds();
    await sleep(3_000);
    const cpuPercentWhileHeld = Math.round((server.cpuSeconds() - cpu0) / 3 * 100);
    const aliveWhileHeld = server.alive();
    const statsWhileHeld = (await server.stats(3_000)) !== undefined;
    for (const c of conns) c.close();
    await sleep(2_000);
    const after = await server.stats(5_000);
    return {
      impl: [impl, ...args].join(" "),
      openFiles,
      connections,
      connected: conns.length,
      connectFailed: failed,
      connectPending: pending,
      cpuPercentWhileHeld,
      aliveWhileHeld,
      answeredWhileHeld: statsWhileHeld,
      aliveAfter: server.alive(),
      exitCode: server.exitCode(),
      answeredAfter: after !== undefined,
      serverErrors: after?.errors,
    };
  } finally {
    await server.stop();
  }
}
