import type { SimPhase, SimulationResult } from "./simulation.ts";
import type { SimulationOptions } from "./simulation_options.ts";
import { type SimCounters, SimStats } from "./sim_stats.ts";

const _SIMULATE = new URL("./simulate.ts", import.meta.url).pathname;
const _CONFIG = new URL("../deno.json", import.meta.url).pathname;

/**
 * Runs a simulation split over `procs` child processes of `simulate.ts --child` (each one
 * simulates the drivers with index % procs === shard), because one process can hold only as
 * many sockets as its open-files limit. Children report NDJSON on stdout; `onTick` gets the
 * summed counters and the fleet's phase (that of the slowest shard) about once a second.
 */
export async function runShardedSimulation(
  o: SimulationOptions,
  procs: number,
  onTick?: (counters: SimCounters, phase: SimPhase) => void,
): Promise<SimulationResult[]> {
  const latest: SimCounters[] = [];
  const phases: SimPhase[] = Array.from({ length: procs }, () => "ramp");
  const order: SimPhase[] = ["ramp", "steady", "drain"];
  const children = Array.from({ length: procs }, (_, shard) => {
    const args = _childArgs(o, shard, procs);
    return new Deno.Command(Deno.execPath(), { args, stdout: "piped", stderr: "inherit" }).spawn();
  });
  const timer = setInterval(() => {
    if (!onTick || latest.length === 0) return;
    const sum = new SimStats();
    for (const c of latest) if (c) sum.merge(c);
    // The fleet is as far as its slowest shard.
    onTick(sum.c, order[Math.min(...phases.map((p) => order.indexOf(p)))]!);
  }, 1000);
  try {
    return await Promise.all(children.map(async (child, shard) => {
      const result = await _readReports(child, (msg) => {
        if (msg.tick) latest[shard] = msg.tick;
        if (msg.phase) phases[shard] = msg.phase;
      });
      const status = await child.status;
      if (!result) {
        throw new Error(`simulator shard ${shard} exited (${status.code}) with no result`);
      }
      return result;
    }));
  } finally {
    clearInterval(timer);
  }
}

/** The `deno` arguments of shard `shard` of `procs`: `simulate.ts --child` with `o` as flags. */
function _childArgs(o: SimulationOptions, shard: number, procs: number): string[] {
  return [
    "run",
    "-A",
    "--config",
    _CONFIG,
    _SIMULATE,
    "--child",
    `--shard=${shard}`,
    `--shards=${procs}`,
    `--drivers=${o.drivers}`,
    `--interval=${o.intervalMs}`,
    `--duration=${o.durationS}`,
    `--ramp-up=${o.rampUpS}`,
    `--url=${o.url}`,
    `--secret=${o.secret}`,
    `--viewers=${o.viewers}`,
    `--order-share=${o.orderShare}`,
    `--fleet-viewers=${o.fleetViewers}`,
    `--osmand-share=${o.osmandShare}`,
    `--source-ips=${o.sourceIps.join(",") || "none"}`,
    `--prefix=${o.prefix}`,
    `--seed=${o.seed}`,
    `--drain=${o.drainS}`,
    ...(o.targetIps.length ? [`--target-ips=${o.targetIps.join(",")}`] : []),
    ...(o.tokenInQuery ? ["--token-in-query"] : []),
    ...(o.viewerUrl ? [`--viewer-url=${o.viewerUrl}`] : []),
  ];
}

/** One NDJSON line of a child's stdout: live counters, its phase, or its final result. */
interface _ChildReport {
  tick?: SimCounters;
  phase?: SimPhase;
  result?: SimulationResult;
}

/** Reads a child's reports to their end, each to `onReport`; resolves with its result, if any. */
async function _readReports(
  child: Deno.ChildProcess,
  onReport: (msg: _ChildReport) => void,
): Promise<SimulationResult | undefined> {
  let result: SimulationResult | undefined;
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).pipeThrough(_lineSplitter());
  for await (const line of lines) {
    const msg = JSON.parse(line) as _ChildReport;
    onReport(msg);
    if (msg.result) result = msg.result;
  }
  return result;
}

function _lineSplitter(): TransformStream<string, string> {
  let buf = "";
  return new TransformStream({
    transform(chunk, ctl) {
      buf += chunk;
      let i;
      while ((i = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, i).trim();
        buf = buf.slice(i + 1);
        if (line) ctl.enqueue(line);
      }
    },
    flush(ctl) {
      if (buf.trim()) ctl.enqueue(buf.trim());
    },
  });
}
