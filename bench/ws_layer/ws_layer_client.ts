/**
 * A client process of `bench/ws_layer/ws_layer.ts`: Deno's built-in WebSocket client (the cheapest one at
 * hand: framing and masking in Rust), driven by one JSON command a line on stdin, answering one
 * JSON line on stdout per command:
 *
 * - `{"cmd":"open","url":"ws://127.0.0.1:P/ws","count":K,"first":D,"concurrency":C}`: opens K
 *   sockets, at most C handshakes at a time; each sends one fix once open. Answers
 *   `{opened, failed, seconds}`.
 * - `{"cmd":"load","sockets":K,"seconds":S}`: the first K sockets send one fix a second each, in
 *   turn, spread evenly over the second, for S seconds. Answers
 *   `{sent, skipped, acks, seconds, cpuSeconds}` (`skipped`: the socket was not open).
 * - `{"cmd":"close"}`: closes every socket, answers `{closed, closes}` and exits.
 * @module
 */
import { parseProcStat } from "../proc_sampler.ts";
import { dueSends, fixMessage } from "./ws_layer_report.ts";

const sockets: WebSocket[] = [];
let first = 0;
let acks = 0;
const closes: Record<string, number> = {};

function _cpuSeconds(): number {
  return parseProcStat(Deno.readTextFileSync("/proc/self/stat")).ticks / 100;
}

function _openOne(url: string, index: number): Promise<boolean> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    const timer = setTimeout(() => (ws.close(), resolve(false)), 20_000);
    ws.onopen = () => {
      clearTimeout(timer);
      sockets.push(ws);
      ws.send(fixMessage(first + index, 0, Date.now()));
      resolve(true);
    };
    ws.onmessage = () => void (acks += 1);
    ws.onerror = () => void 0;
    ws.onclose = (e) => {
      clearTimeout(timer);
      closes[e.code] = (closes[e.code] ?? 0) + 1;
      resolve(false);
    };
  });
}

async function _open(url: string, count: number, concurrency: number) {
  const t0 = performance.now();
  let next = 0;
  let opened = 0;
  let failed = 0;
  const lane = async () => {
    while (next < count) {
      if (await _openOne(url, next++)) opened += 1;
      else failed += 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return { opened, failed, seconds: (performance.now() - t0) / 1000 };
}

async function _load(count: number, seconds: number) {
  const n = Math.min(count, sockets.length);
  const acks0 = acks;
  const cpu0 = _cpuSeconds();
  const t0 = performance.now();
  let sent = 0;
  let skipped = 0;
  let turn = 0;
  while (performance.now() - t0 < seconds * 1000) {
    const due = dueSends(performance.now() - t0, n);
    for (; turn < due; turn++) {
      const ws = sockets[turn % n]!;
      if (ws.readyState !== WebSocket.OPEN) skipped += 1;
      else {(ws.send(fixMessage(first + (turn % n), 1 + Math.floor(turn / n), Date.now())),
          sent += 1);}
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  const elapsed = (performance.now() - t0) / 1000;
  return { sent, skipped, acks: acks - acks0, seconds: elapsed, cpuSeconds: _cpuSeconds() - cpu0 };
}

async function _close() {
  const closed = sockets.filter((ws) => ws.readyState === WebSocket.OPEN).length;
  const done = sockets.map((ws) =>
    ws.readyState === WebSocket.CLOSED ? Promise.resolve() : new Promise<void>((resolve) => {
      ws.addEventListener("close", () => resolve());
      ws.close(1000);
    })
  );
  await Promise.race([Promise.all(done), new Promise((r) => setTimeout(r, 5_000))]);
  return { closed, closes };
}

const encoder = new TextEncoder();
let pending = "";
for await (const chunk of Deno.stdin.readable.pipeThrough(new TextDecoderStream())) {
  pending += chunk;
  for (let i = pending.indexOf("\n"); i >= 0; i = pending.indexOf("\n")) {
    const cmd = JSON.parse(pending.slice(0, i));
    pending = pending.slice(i + 1);
    let reply: unknown;
    if (cmd.cmd === "open") {
      first = cmd.first ?? 0;
      reply = await _open(cmd.url, cmd.count, cmd.concurrency ?? 50);
    } else if (cmd.cmd === "load") reply = await _load(cmd.sockets, cmd.seconds);
    else if (cmd.cmd === "close") reply = await _close();
    else reply = { error: `unknown command ${cmd.cmd}` };
    await Deno.stdout.write(encoder.encode(JSON.stringify(reply) + "\n"));
    if (cmd.cmd === "close") Deno.exit(0);
  }
}
