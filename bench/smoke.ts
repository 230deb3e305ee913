import { runShardedSimulation } from "./sharded_simulation.ts";
import { buildSimReport } from "./sim_report.ts";
import { SIMULATION_DEFAULTS } from "./simulation.ts";

/**
 * `bench --smoke`: 300 drivers for 5 s against an already running service. Prints the report
 * on stdout; returns false (the caller exits 1) when nothing was acked or a connection failed.
 */
export async function runSmoke(url: string, secret: string): Promise<boolean> {
  const ready = await fetch(new URL("/readyz", url)).then((r) =>
    r.body?.cancel().then(() => r.status)
  )
    .catch((e: Error) => e.message);
  if (ready !== 200) {
    console.error(`smoke: ${url}/readyz answered ${ready}; is the service running?`);
    return false;
  }
  const o = {
    ...SIMULATION_DEFAULTS,
    drivers: 300,
    intervalMs: 1000,
    durationS: 5,
    rampUpS: 2,
    url,
    secret,
    prefix: `smoke-${Date.now().toString(36)}`,
  };
  const results = await runShardedSimulation(o, 1);
  const report = buildSimReport(results, o);
  console.log(JSON.stringify(report, null, 2));
  const failed = (report.errors["connect_failed"] ?? 0) > 0 || report.acked === 0;
  console.error(
    failed ? "smoke: FAILED" : `smoke: ok, ${report.acked} of ${report.sent} fixes acked`,
  );
  return !failed;
}
