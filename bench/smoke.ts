import { runShardedSimulation } from "../sim/sharded_simulation.ts";
import { buildSimReport, type SimReport } from "../sim/sim_report.ts";
import { runSimulation } from "../sim/simulation.ts";
import {
  activeOrders,
  SIMULATION_DEFAULTS,
  type SimulationOptions,
} from "../sim/simulation_options.ts";

/** Options of {@linkcode runSmoke}; defaults in {@linkcode SMOKE_DEFAULTS}. */
export interface SmokeOptions {
  drivers: number;
  /** ms between one driver's fixes */
  intervalMs: number;
  /** steady seconds after the ramp-up */
  durationS: number;
  rampUpS: number;
  /** customer viewers on `/ws/orders/:id` (each creates and assigns an order first) */
  viewers: number;
  /** share of drivers with an active order (0..1), watched or not */
  orderShare: number;
  /** ops fleet maps on `/ws/fleet`, each viewing the whole city */
  fleetViewers: number;
  /** share of drivers that are phones posting to `/osmand` (0..1) */
  osmandShare: number;
  /** simulator processes: 1 runs in this process, more run `simulate.ts --child` shards */
  procs: number;
  /** least share of the sent fixes that must be acked */
  minAckedShare: number;
  /** print nothing (the caller reads the result) */
  quiet: boolean;
  /** driver id prefix (default `smoke-<time>`): driver i is `${prefix}-${i}` */
  prefix?: string;
}

/** Defaults of {@linkcode SmokeOptions}: 300 drivers for 5 s, 20 viewers. */
export const SMOKE_DEFAULTS: SmokeOptions = Object.freeze({
  drivers: 300,
  intervalMs: 1000,
  durationS: 5,
  rampUpS: 2,
  viewers: 20,
  orderShare: 0,
  fleetViewers: 0,
  osmandShare: 0,
  procs: 1,
  minAckedShare: 0.95,
  quiet: false,
});

/** The outcome of {@linkcode runSmoke}. */
export interface SmokeResult {
  /** true when there are no problems */
  ok: boolean;
  /** what went wrong, one sentence each */
  problems: string[];
  /** the simulation's report (undefined when the service was not ready) */
  report: SimReport | undefined;
}

/**
 * `bench --smoke`: a few hundred drivers (and some customer viewers) for a few seconds against an
 * already running service. Prints the report on stdout (unless `quiet`) and returns it with the
 * problems found by {@linkcode smokeProblems}; the CLI exits 1 when there are any.
 */
export async function runSmoke(
  url: string,
  secret: string,
  options: Partial<SmokeOptions> = {},
): Promise<SmokeResult> {
  const s = { ...SMOKE_DEFAULTS, ...options };
  // A service just started is not ready until its Kafka clients have joined: wait a little.
  let ready: number | string = "no answer";
  for (const deadline = Date.now() + 30_000; ready !== 200 && Date.now() < deadline;) {
    ready = await fetch(new URL("/readyz", url)).then((r) =>
      r.body?.cancel().then(() => r.status) ?? r.status
    ).catch((e: Error) => e.message);
    if (ready !== 200) await new Promise((r) => setTimeout(r, 250));
  }
  if (ready !== 200) {
    const problem = `${url}/readyz answered ${ready} for 30 s; is the service running?`;
    if (!s.quiet) console.error(`smoke: ${problem}`);
    return { ok: false, problems: [problem], report: undefined };
  }
  const o: SimulationOptions = {
    ...SIMULATION_DEFAULTS,
    drivers: s.drivers,
    intervalMs: s.intervalMs,
    durationS: s.durationS,
    rampUpS: s.rampUpS,
    viewers: s.viewers,
    orderShare: s.orderShare,
    fleetViewers: s.fleetViewers,
    osmandShare: s.osmandShare,
    url,
    secret,
    prefix: s.prefix ?? `smoke-${Date.now().toString(36)}`,
  };
  const results = s.procs === 1 ? [await runSimulation(o)] : await runShardedSimulation(o, s.procs);
  const report = buildSimReport(results, o);
  const problems = smokeProblems(report, s);
  if (!s.quiet) {
    console.log(JSON.stringify(report, null, 2));
    console.error(
      problems.length
        ? `smoke: FAILED\n  ${problems.join("\n  ")}`
        : `smoke: ok, ${report.acked} of ${report.sent} fixes acked` +
          (report.viewers
            ? `, ${report.viewers.opened} viewers got ${
              report.viewers.frames["location"] ?? 0
            } positions (p99 ${report.viewers.latencyMs.p99} ms)`
            : ""),
    );
  }
  return { ok: problems.length === 0, problems, report };
}

/**
 * What is wrong with a smoke run: a driver that never connected, fixes not acked (none, or under
 * `minAckedShare` of those sent; with phones, none of one protocol's), any error at all (the
 * simulator sends only valid fixes at an app's rate), an order not created and assigned, and with
 * viewers: one not set up or not connected, without a snapshot, or no position reaching any.
 */
export function smokeProblems(
  report: SimReport,
  o: Pick<SmokeOptions, "drivers" | "viewers" | "orderShare" | "minAckedShare"> & {
    fleetViewers?: number;
  },
): string[] {
  const problems: string[] = [];
  const orders = activeOrders(o);
  if (report.ordersAssigned < orders) {
    problems.push(`only ${report.ordersAssigned} of ${orders} orders created and assigned`);
  }
  if (report.handshakes < o.drivers) {
    problems.push(`only ${report.handshakes} of ${o.drivers} drivers connected`);
  }
  if (report.acked === 0) problems.push("no fix was acked");
  else if (report.acked < report.sent * o.minAckedShare) {
    problems.push(`only ${report.acked} of ${report.sent} fixes were acked`);
  }
  for (const [protocol, p] of Object.entries(report.byProtocol ?? {})) {
    if (p.drivers > 0 && p.acked === 0) {
      problems.push(`no fix of the ${protocol} drivers was acked`);
    }
  }
  if (Object.keys(report.errors).length > 0) {
    problems.push(`errors: ${JSON.stringify(report.errors)}`);
  }
  const v = report.viewers;
  const viewers = Math.min(o.viewers, o.drivers);
  if (viewers > 0) {
    if (!v || v.opened < viewers) {
      problems.push(`only ${v?.opened ?? 0} of ${viewers} viewers connected`);
    }
    const snapshots = v?.frames["snapshot"] ?? 0;
    if (snapshots < viewers) problems.push(`${snapshots} snapshots for ${viewers} viewers`);
    if (!v?.latencyMs.count) problems.push("no position reached a viewer");
  }
  const fleet = o.fleetViewers ?? 0;
  if (fleet > 0) {
    const f = report.fleetViewers;
    if (!f || f.opened < fleet) {
      problems.push(`only ${f?.opened ?? 0} of ${fleet} fleet viewers connected`);
    }
    const shown = (f?.frames["positions"] ?? 0) + (f?.frames["clusters"] ?? 0);
    if (shown < fleet) {
      problems.push(`${shown} positions/clusters frames for ${fleet} fleet viewers`);
    }
  }
  return problems;
}
