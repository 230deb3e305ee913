/**
 * CPU profile of a running Deno process through its V8 inspector (Deno 2.9 has no `--cpu-prof`):
 * start the service with `--inspect=127.0.0.1:9229`, put load on it, then
 *
 *   deno task profile [--inspect 127.0.0.1:9229] [--seconds 15] [--out bench/results/x.cpuprofile]
 *
 * writes a `.cpuprofile` (open it in Chrome DevTools' Performance panel) and prints the functions
 * and files with the most self time. With an inspector attached, Deno reports every WebSocket
 * frame to it (`inspector_network_bridge.js`, `op_inspector_emit_protocol_event`): about a fifth
 * of the samples under load are that, and do not exist in a normal run.
 *
 * @module
 */
import { parseArgs } from "node:util";

/** The parts of a V8 `Profiler.Profile` this tool reads. */
export interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    hitCount?: number;
  }[];
  startTime: number;
  endTime: number;
}

/** Self time per function and per file, largest first. */
export interface ProfileSummary {
  totalMs: number;
  functions: { name: string; ms: number; share: number }[];
  files: { file: string; ms: number; share: number }[];
}

/** Sums self samples by function (name + file:line) and by file. */
export function summarizeProfile(p: CpuProfile, top = 30): ProfileSummary {
  const hits = p.nodes.reduce((n, node) => n + (node.hitCount ?? 0), 0);
  const msPerHit = hits ? (p.endTime - p.startTime) / 1000 / hits : 0;
  const byFn = new Map<string, number>();
  const byFile = new Map<string, number>();
  for (const { callFrame: f, hitCount = 0 } of p.nodes) {
    if (!hitCount) continue;
    const file = shortUrl(f.url) || `(${f.functionName || "native"})`;
    const fn = `${f.functionName || "(anonymous)"} ${file}${f.url ? `:${f.lineNumber + 1}` : ""}`;
    byFn.set(fn, (byFn.get(fn) ?? 0) + hitCount);
    byFile.set(file, (byFile.get(file) ?? 0) + hitCount);
  }
  const rank = (m: Map<string, number>) =>
    [...m].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, h]) => ({
      k,
      ms: Math.round(h * msPerHit),
      share: Math.round((1000 * h) / (hits || 1)) / 10,
    }));
  return {
    totalMs: Math.round(hits * msPerHit),
    functions: rank(byFn).map(({ k, ...r }) => ({ name: k, ...r })),
    files: rank(byFile).map(({ k, ...r }) => ({ file: k, ...r })),
  };
}

/** A frame URL shortened: `npm:<package>/<version>/<path>` or a path under the project root. */
export function shortUrl(url: string): string {
  const npm = /\/npm\/registry\.npmjs\.org\/(.+)$/.exec(url);
  if (npm) return `npm:${npm[1]}`;
  const root = new URL("../../", import.meta.url).href;
  return url.startsWith(root) ? url.slice(root.length) : url;
}

/** A call into a V8 inspector session: a method and its params, answered with its result. */
export type InspectorCall = (
  method: string,
  params?: Record<string, unknown>,
) => Promise<Record<string, unknown>>;

/** Opens the inspector session of the process listening on `hostPort`, runs `use`, closes it. */
export async function withInspector<T>(
  hostPort: string,
  use: (call: InspectorCall) => Promise<T>,
): Promise<T> {
  const targets = await (await fetch(`http://${hostPort}/json/list`)).json() as {
    webSocketDebuggerUrl: string;
  }[];
  const wsUrl = targets[0]?.webSocketDebuggerUrl;
  if (!wsUrl) throw new Error(`no inspector target at ${hostPort}`);
  const ws = new WebSocket(wsUrl);
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = () => reject(new Error(`cannot open ${wsUrl}`));
  });
  let next = 0;
  const pending = new Map<number, (r: Record<string, unknown>) => void>();
  ws.onmessage = (e) => {
    const m = JSON.parse(String(e.data)) as { id?: number; result?: Record<string, unknown> };
    if (m.id !== undefined) pending.get(m.id)?.(m.result ?? {});
  };
  const call: InspectorCall = (method, params = {}) =>
    new Promise((resolve) => {
      const id = ++next;
      pending.set(id, resolve);
      ws.send(JSON.stringify({ id, method, params }));
    });
  try {
    return await use(call);
  } finally {
    ws.close();
  }
}

/** Takes a CPU profile of the process whose inspector listens on `hostPort` for `ms`. */
export function takeCpuProfile(
  hostPort: string,
  ms: number,
  samplingIntervalUs = 500,
): Promise<CpuProfile> {
  return withInspector(hostPort, async (call) => {
    await call("Profiler.enable");
    await call("Profiler.setSamplingInterval", { interval: samplingIntervalUs });
    await call("Profiler.start");
    await new Promise((r) => setTimeout(r, ms));
    const { profile } = await call("Profiler.stop") as { profile: CpuProfile };
    await call("Profiler.disable");
    return profile;
  });
}

/** The command-line options of this tool and of `heap_profile.ts`. */
export const PROFILE_OPTIONS = {
  inspect: { type: "string", default: "127.0.0.1:9229" },
  seconds: { type: "string", default: "15" },
  out: { type: "string" },
  top: { type: "string", default: "30" },
} as const;

if (import.meta.main) {
  const { values: v } = parseArgs({ args: Deno.args, options: PROFILE_OPTIONS });
  const profile = await takeCpuProfile(v.inspect, Number(v.seconds) * 1000);
  const out = v.out ?? `bench/results/profile-${new Date().toISOString().slice(0, 19)}.cpuprofile`;
  await Deno.writeTextFile(out, JSON.stringify(profile));
  const s = summarizeProfile(profile, Number(v.top));
  console.log(`${out}: ${s.totalMs} ms sampled\n\nself time by function:`);
  for (const f of s.functions) console.log(`${String(f.share).padStart(5)}%  ${f.name}`);
  console.log("\nself time by file:");
  for (const f of s.files) console.log(`${String(f.share).padStart(5)}%  ${f.file}`);
}
