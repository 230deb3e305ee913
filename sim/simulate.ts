/**
 * Load simulator: drivers moving around Bengaluru, each on its own WebSocket to the service,
 * one fix every `--interval` ms. Progress each second on stderr; JSON report on stdout.
 *
 *   deno task simulate --drivers 2000 --interval 1000 --duration 30 --ramp-up 10
 *
 * Past ~20,000 drivers it runs several processes (open-files limit) and binds sockets to
 * several loopback source addresses (about 28,000 ephemeral ports each). See bench/README.md.
 *
 * @module
 */
import { openFilesLimit } from "../infra/open_files_limit.ts";
import { runShardedSimulation } from "./sharded_simulation.ts";
import { buildSimReport, formatProgress, type SimReport } from "./sim_report.ts";
import type { SimCounters } from "./sim_stats.ts";
import { parseSimulateArgs, SIMULATE_USAGE } from "./simulate_args.ts";
import { runSimulation } from "./simulation.ts";
import { SIMULATION_DEFAULTS, type SimulationOptions } from "./simulation_options.ts";

/** Sockets a simulator process keeps below its open-files limit for everything else. */
const FD_RESERVE = 256;

/** Runs the simulator from command-line arguments; returns the report (also printed). */
export async function simulate(args: string[]): Promise<SimReport | undefined> {
  const a = parseSimulateArgs(args, Deno.env.toObject());
  if (a.help) {
    console.log(SIMULATE_USAGE);
    return undefined;
  }
  const o: SimulationOptions = { ...SIMULATION_DEFAULTS, ...a.sim };
  if (a.child) {
    const result = await runSimulation(o, {
      onTick: (s, phase) => console.log(JSON.stringify({ tick: s.snapshot(), phase })),
    });
    console.log(JSON.stringify({ result }));
    // A handshake the server never answered would keep this process alive: the report is out.
    Deno.exit(0);
  }
  const perProc = Math.max(1, (openFilesLimit() ?? 1_000_000) - FD_RESERVE);
  const procs = a.procs === "auto" ? Math.ceil(o.drivers / perProc) : a.procs;
  if (Math.ceil(o.drivers / procs) > perProc) {
    console.error(
      `warning: ${Math.ceil(o.drivers / procs)} sockets per process exceed the ` +
        `open-files limit (${perProc + FD_RESERVE}); raise ulimit -n or use more --procs`,
    );
  }
  console.error(
    `simulating ${o.drivers} drivers every ${o.intervalMs} ms ` +
      `(${Math.round((o.drivers * 1000) / o.intervalMs)} fixes/s` +
      `${
        o.osmandShare > 0 ? `, a share of ${o.osmandShare} on OsmAnd` : ""
      }) against ${o.url} in ${procs} ` +
      `process(es)${o.sourceIps.length ? ` from ${o.sourceIps.join(",")}` : ""}`,
  );
  const t0 = performance.now();
  let prev: SimCounters | undefined;
  let prevAt = t0;
  const tick = (c: SimCounters) => {
    const now = performance.now();
    if (prev) console.error(formatProgress(prev, c, (now - prevAt) / 1000, (now - t0) / 1000));
    prev = c;
    prevAt = now;
  };
  const results = procs === 1
    ? [await runSimulation(o, { onTick: (s) => tick(s.snapshot()) })]
    : await runShardedSimulation(o, procs, tick);
  const report = buildSimReport(results, o);
  console.log(JSON.stringify(report, null, 2));
  return report;
}

if (import.meta.main) await simulate(Deno.args);
