/**
 * One scenario of `bench/ws_layer/ws_layer.ts`: a fresh server, a warm-up, N sockets opened that each send
 * one fix and stay idle, then load phases of one fix a second per socket; server RSS before and
 * after, peak RSS and server CPU time per message during each phase.
 * @module
 */
import {
  kibPerSocket,
  type LoadResult,
  microsPerMessage,
  type ScenarioResult,
  splitEvenly,
} from "./ws_layer_report.ts";
import { ClientFleet, type ServerProcess, startServer } from "./ws_layer_procs.ts";

/** What a scenario does. */
export interface ScenarioOptions {
  impl: string;
  sockets: number;
  /** sockets per client process at most */
  perClient: number;
  idleSeconds: number;
  loadSeconds: number;
  /** how many of the sockets send, phase after phase (each at most `sockets`) */
  loads: number[];
  /** every how many messages a socket gets an ack (default 10) */
  ackEvery?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs one scenario on a fresh server; logs progress on stderr. */
export async function runScenario(o: ScenarioOptions): Promise<ScenarioResult> {
  const server = await startServer(o.impl, { args: ["--ack-every", String(o.ackEvery ?? 10)] });
  const log = (msg: string) => console.error(`[${o.impl} N=${o.sockets}] ${msg}`);
  try {
    const url = `ws://127.0.0.1:${server.port}/ws`;
    await _warmUp(url);
    await sleep(2_000);
    const rssBeforeKiB = server.memKiB();
    const fleet = ClientFleet.start(Math.ceil(o.sockets / o.perClient));
    const counts = splitEvenly(o.sockets, fleet.size);
    const starts = counts.map((_, i) => counts.slice(0, i).reduce((a, b) => a + b, 0));
    const opens = await fleet.command(
      counts.map((count, i) => ({ cmd: "open", url, count, first: starts[i], concurrency: 40 })),
    );
    const opened = opens.reduce((s, r) => s + r.opened, 0);
    const failed = opens.reduce((s, r) => s + r.failed, 0);
    const openSeconds = Math.max(...opens.map((r) => r.seconds));
    log(
      `opened ${opened}, failed ${failed} in ${openSeconds.toFixed(1)} s; idle ${o.idleSeconds} s`,
    );
    await sleep(o.idleSeconds * 1000);
    const rssIdleKiB = server.memKiB();
    const stats = await server.stats();
    log(`server open ${stats?.open}, messages ${stats?.messages}, RSS ${rssIdleKiB} KiB`);
    const loads: LoadResult[] = [];
    for (const sending of o.loads) {
      loads.push(await _load(server, fleet, sending, o.loadSeconds, rssBeforeKiB, opened));
      log(JSON.stringify(loads.at(-1)));
    }
    const closed = await fleet.close();
    log(`closed; client-side close codes ${JSON.stringify(closed.map((c) => c.closes))}`);
    return {
      impl: o.impl,
      sockets: o.sockets,
      opened,
      failed,
      openSeconds: Math.round(openSeconds * 10) / 10,
      rssBeforeKiB,
      rssIdleKiB,
      idleKiBPerSocket: kibPerSocket(rssBeforeKiB, rssIdleKiB, opened),
      loads,
      serverStats: await server.stats(),
    };
  } finally {
    await server.stop();
  }
}

/** A few sockets opened, used and closed, so the code paths are compiled before "RSS before". */
async function _warmUp(url: string): Promise<void> {
  const fleet = ClientFleet.start(1);
  await fleet.command([{ cmd: "open", url, count: 200, first: 0, concurrency: 20 }]);
  await fleet.command([{ cmd: "load", sockets: 200, seconds: 1 }]);
  await fleet.close();
}

async function _load(
  server: ServerProcess,
  fleet: ClientFleet,
  sending: number,
  seconds: number,
  rssBeforeKiB: number,
  open: number,
): Promise<LoadResult> {
  const before = await server.stats();
  const cpu0 = server.cpuSeconds();
  const t0 = performance.now();
  let peak = server.memKiB();
  const sampler = setInterval(() => peak = Math.max(peak, server.memKiB()), 200);
  const replies = await fleet.command(
    splitEvenly(sending, fleet.size).map((n) => ({ cmd: "load", sockets: n, seconds })),
  );
  clearInterval(sampler);
  await sleep(300); // the last messages in flight
  peak = Math.max(peak, server.memKiB());
  const cpuSeconds = server.cpuSeconds() - cpu0;
  const elapsed = (performance.now() - t0) / 1000;
  const after = await server.stats();
  const received = (after?.messages ?? 0) - (before?.messages ?? 0);
  const sent = replies.reduce((s, r) => s + r.sent, 0);
  const clientSeconds = Math.max(...replies.map((r) => r.seconds));
  return {
    sockets: sending,
    seconds: Math.round(elapsed * 10) / 10,
    sentPerSecond: sent / clientSeconds,
    receivedPerSecond: received / clientSeconds,
    serverCpuSeconds: Math.round(cpuSeconds * 100) / 100,
    cpuMicrosPerMessage: microsPerMessage(cpuSeconds, received),
    peakRssKiB: peak,
    peakKiBPerSocket: kibPerSocket(rssBeforeKiB, peak, open),
    clientCpuPercent: (100 * replies.reduce((s, r) => s + r.cpuSeconds, 0)) / clientSeconds,
  };
}
