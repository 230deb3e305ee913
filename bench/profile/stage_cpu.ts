import type { CpuProfile } from "./cpu_profile.ts";

/** The pipeline stages whose CPU the bench compares. */
export type Stage = "ingest" | "history" | "live";

/** A V8 profile node with its children (what `Profiler.stop` returns). */
export type ProfileNode = CpuProfile["nodes"][number] & { children?: number[] };

/** Shares of a CPU profile's samples by stage. */
export interface StageShares {
  /** samples counted (idle and inspector samples left out) */
  samples: number;
  /** samples left out because the attached inspector caused them */
  inspectorSamples: number;
  /** share of the counted samples per stage, and what no stage claims (0..1) */
  share: Record<Stage | "shared", number>;
  /** the sampled functions that make up most of "shared", share of the counted samples */
  topShared: { fn: string; share: number }[];
}

/**
 * Which stage a source file belongs to, by its path under the project root (or `npm:` name).
 * First match wins; files in no list (the actor runtime, `lib/`, the rest of `domain/`) decide
 * nothing.
 */
const _RULES: [Stage, RegExp][] = [
  [
    "ingest",
    /^(routes\/driver_ws|actors\/(driver_(actor|protocol)|parse_driver_frame)|domain\/(fix_filter|fix)\.|actors\/speed_smoother|pipelines\/driver_ingest|infra\/kafka\/(location_publisher|resilient_producer)|npm:@platformatic\/kafka\/[^/]+\/dist\/clients\/producer\/)/,
  ],
  [
    "history",
    /^(pipelines\/history_pipeline|actors\/history_actor|infra\/postgres\/(history_store|location_rows_json|location_from_row)|npm:postgres\/)/,
  ],
  [
    "live",
    /^(pipelines\/(live_fanout|order_events|fleet_feed)|actors\/(region|order|viewer|notifier|restaurant|fleet_index|fleet_viewer|fleet_feed|live_router|latest_position)_?|actors\/(eta_estimator|watch_index)|domain\/(threshold_tracker|order_lifecycle|order_event|geo)\.|routes\/(viewer_ws|viewer_sockets|orders_http|fleet_ws)|infra\/kafka\/(tailer_slot|partition_tailer))/,
  ],
];

/** The stage of one frame, or undefined when the frame decides nothing. */
export function frameStage(file: string, functionName: string): Stage | undefined {
  // One file encodes (ingest) and decodes (every consumer): the function decides.
  if (file.startsWith("domain/location_record")) {
    return functionName.startsWith("encode") ? "ingest" : undefined;
  }
  for (const [stage, re] of _RULES) if (re.test(file)) return stage;
  return undefined;
}

/**
 * Attributes each sample of a CPU profile to a stage: from the sampled frame outwards, the first
 * frame whose file belongs to a stage decides (so `JSON.parse` called by the driver route counts
 * as ingest). Samples with no such frame (garbage collection, the event loop, socket and Kafka
 * protocol code reached from callbacks) are "shared". Idle samples and those under the
 * inspector's own code (which only exists while a profile is taken) are left out.
 */
export function stageShares(
  nodes: ProfileNode[],
  shortUrl: (url: string) => string,
): StageShares {
  const parent = new Map<number, ProfileNode>();
  for (const n of nodes) for (const c of n.children ?? []) parent.set(c, n);
  const counts: Record<Stage | "shared", number> = { ingest: 0, history: 0, live: 0, shared: 0 };
  let inspector = 0;
  const sharedFns = new Map<string, number>();
  for (const leaf of nodes) {
    const hits = leaf.hitCount ?? 0;
    if (!hits || leaf.callFrame.functionName === "(idle)") continue;
    let stage: Stage | undefined;
    let isInspector = false;
    for (let n: ProfileNode | undefined = leaf; n; n = parent.get(n.id)) {
      const f = n.callFrame;
      if (/inspector/.test(f.url) || f.functionName.startsWith("op_inspector")) isInspector = true;
      stage ??= frameStage(shortUrl(f.url), f.functionName);
    }
    if (isInspector) inspector += hits;
    else counts[stage ?? "shared"] += hits;
    if (!isInspector && !stage) {
      const f = leaf.callFrame;
      const fn = `${f.functionName || "(anonymous)"} ${shortUrl(f.url)}`.trim();
      sharedFns.set(fn, (sharedFns.get(fn) ?? 0) + hits);
    }
  }
  const samples = counts.ingest + counts.history + counts.live + counts.shared;
  const r = (v: number) => samples ? Math.round((v / samples) * 1000) / 1000 : 0;
  return {
    samples,
    inspectorSamples: inspector,
    share: {
      ingest: r(counts.ingest),
      history: r(counts.history),
      live: r(counts.live),
      shared: r(counts.shared),
    },
    topShared: [...sharedFns].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([fn, h]) => ({
      fn,
      share: r(h),
    })),
  };
}

/**
 * µs of CPU per fix for each stage: `cpuSeconds` split by `share`, the shared part spread over the
 * stages in proportion to what each claimed, divided by that stage's fixes (`perStageFixes`).
 * A stage with no fixes or no share is left out.
 */
export function perFixMicros(
  cpuSeconds: number,
  share: StageShares["share"],
  perStageFixes: Partial<Record<Stage, number>>,
): Partial<Record<Stage, number>> {
  const claimed = share.ingest + share.history + share.live;
  const out: Partial<Record<Stage, number>> = {};
  for (const stage of ["ingest", "history", "live"] as const) {
    const fixes = perStageFixes[stage];
    if (!fixes || !share[stage] || !claimed) continue;
    const s = share[stage] + (share.shared * share[stage]) / claimed;
    out[stage] = Math.round(((cpuSeconds * s) / fixes) * 1e6 * 10) / 10;
  }
  return out;
}
