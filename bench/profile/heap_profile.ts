/**
 * Where a running Deno process allocates, and how much per fix: a sampling heap profile through
 * its V8 inspector (`HeapProfiler.startSampling`, keeping the objects that minor and major GCs
 * collected, so garbage counts too). Start the service with `--inspect=127.0.0.1:9229`, put load on
 * it, then
 *
 *   deno task profile:heap [--inspect 127.0.0.1:9229] [--seconds 15] [--url http://127.0.0.1:18080]
 *     [--top 30] [--out bench/results/x.heapprofile]
 *
 * prints the bytes allocated by function (self: the function and what V8 inlined into it) and the
 * fixes the service accepted meanwhile (from `--url`'s `/metrics`), so KiB allocated per fix.
 * With `--survivors`, only what outlived the young generation (objects minor GCs took are left
 * out): what was promoted to the old space, where it dies only in a full GC, or is still alive.
 * That is what grows the old space between full GCs, and so the peak RSS under load.
 * Allocation per fix moves less from run to run than CPU per fix on a shared machine, which makes
 * it the steadier figure for a change that removes allocations (docs/performance.md).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { PROFILE_OPTIONS, shortUrl, withInspector } from "./cpu_profile.ts";
import { metricTotal } from "../metric_total.ts";

/** The parts of a V8 `HeapProfiler.SamplingHeapProfile` this tool reads. */
export interface HeapProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: HeapProfileNode[];
}

/** Allocated bytes by function, largest first. */
export interface HeapSummary {
  totalBytes: number;
  functions: { name: string; bytes: number; share: number }[];
}

/** Sums the sampled self sizes by function (name + file:line). */
export function summarizeHeapProfile(head: HeapProfileNode, top = 30): HeapSummary {
  const byFn = new Map<string, number>();
  let total = 0;
  const stack = [head];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    const f = node.callFrame;
    const name = `${f.functionName || "(anonymous)"} ${shortUrl(f.url) || "(native)"}${
      f.url ? `:${f.lineNumber + 1}` : ""
    }`;
    if (node.selfSize > 0) byFn.set(name, (byFn.get(name) ?? 0) + node.selfSize);
    total += node.selfSize;
    stack.push(...node.children);
  }
  const functions = [...byFn].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, bytes]) => ({
    name,
    bytes,
    share: Math.round((1000 * bytes) / (total || 1)) / 10,
  }));
  return { totalBytes: total, functions };
}

/** The service's accepted fixes so far, from its Prometheus `/metrics`. */
export async function acceptedFixes(url: string): Promise<number> {
  const page = await (await fetch(new URL("/metrics", url))).text();
  return metricTotal(page, "tracking_fixes_accepted_total");
}

if (import.meta.main) {
  const { values: v } = parseArgs({
    args: Deno.args,
    options: {
      ...PROFILE_OPTIONS,
      url: { type: "string", default: "http://127.0.0.1:18080" },
      survivors: { type: "boolean", default: false },
    },
  });
  const fixesBefore = await acceptedFixes(v.url);
  const head = await withInspector(v.inspect, async (call) => {
    await call("HeapProfiler.enable");
    await call("HeapProfiler.startSampling", {
      samplingInterval: 4096,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: !v.survivors,
    });
    await new Promise((r) => setTimeout(r, Number(v.seconds) * 1000));
    const { profile } = await call("HeapProfiler.stopSampling") as {
      profile: { head: HeapProfileNode };
    };
    return profile.head;
  });
  const fixes = (await acceptedFixes(v.url)) - fixesBefore;
  if (v.out) await Deno.writeTextFile(v.out, JSON.stringify({ head }));
  const s = summarizeHeapProfile(head, Number(v.top));
  const mib = (b: number) => (b / 2 ** 20).toFixed(1).padStart(7);
  console.log(
    `${mib(s.totalBytes)} MiB ${
      v.survivors ? "outlived the young generation" : "allocated"
    } in ${v.seconds} s; ${fixes} fixes accepted` +
      (fixes > 0 ? `: ${(s.totalBytes / 1024 / fixes).toFixed(1)} KiB per fix` : ""),
  );
  for (const f of s.functions) {
    console.log(`${mib(f.bytes)} MiB ${String(f.share).padStart(5)}%  ${f.name}`);
  }
}
