import { runsLast, runsSerially, testTiers, type Tier } from "./test_tiers.ts";

/**
 * `deno run -A tools/run_test_tier.ts <unit|integration|faults|leaks|all> [deno test flags]`: runs
 * one tier of tests, or all three (`deno task test`), (`tools/test_tiers.ts` says which files), each `deno test` with the tier's flags,
 * and prints how long each took. Exits with the first failure's code, after running them all.
 *
 * - `unit`: in parallel, with `--trace-leaks` (cheap there).
 * - `integration`: in parallel (`DENO_JOBS`, default one per core), then the serial ones (with
 *   `--trace-leaks`), then `LAST_TESTS` (in `all`: after the fault tier too, alone).
 * - `faults`: one file at a time: run in parallel, two fault tests once raced for the same free
 *   port (a broker node failed to bind), and their outages and restarts are timing-sensitive on
 *   two cores; beside the integration tier they still overlap with it.
 * - `leaks`: `integration` and `faults` one file at a time with `--trace-leaks`, as the whole suite
 *   ran before the tiers (slow; for a leak whose origin the sanitizer alone does not show).
 */
export async function runTestTier(tier: string, extra: readonly string[] = []): Promise<number> {
  const tiers = await testTiers();
  if (tier !== "all") return await _inTurn(_runs(tier, tiers), extra);
  // The whole suite: unit first, then integration and faults side by side (the fault tests wait
  // on their own brokers most of the time; the integration tests use the shared one).
  const unit = await _inTurn(_runs("unit", tiers), extra);
  const integration = _runs("integration", tiers);
  const last = integration.pop()!; // LAST_TESTS: alone, once the rest is done
  const [beside, faults] = await Promise.all([
    _inTurn(integration, extra),
    _inTurn(_runs("faults", tiers), extra),
  ]);
  const alone = await _inTurn([last], extra);
  return [unit, beside, faults, alone].find((code) => code !== 0) ?? 0;
}

/** Runs `deno test` for each run, one after the other; the first failure's exit code. */
async function _inTurn(runs: readonly _Run[], extra: readonly string[]): Promise<number> {
  let code = 0;
  for (const { label, flags, files } of runs) {
    if (files.length === 0) continue;
    const started = performance.now();
    const { code: exit } = await new Deno.Command(Deno.execPath(), {
      args: ["test", "--allow-all", ...flags, ...extra, ...files],
      stdin: "null",
    }).spawn().status;
    const seconds = ((performance.now() - started) / 1000).toFixed(0);
    console.error(`test tier ${label}: ${files.length} files, ${seconds} s, exit ${exit}`);
    if (code === 0) code = exit;
  }
  return code;
}

type _Run = { label: string; flags: string[]; files: string[] };

function _runs(tier: string, tiers: Record<Tier, string[]>): _Run[] {
  const serial = tiers.integration.filter((f) => runsSerially(f) && !runsLast(f));
  const parallel = tiers.integration.filter((f) => !runsSerially(f) && !runsLast(f));
  const last = tiers.integration.filter(runsLast);
  switch (tier) {
    case "unit":
      return [{ label: "unit", flags: ["--parallel", "--trace-leaks"], files: tiers.unit }];
    case "integration":
      return [
        { label: "integration (parallel)", flags: ["--parallel"], files: parallel },
        // With --trace-leaks: tests/stream_budget_test.ts fails without it (the whole stalled
        // body arrives; the slower server is what lets the stall cut come first). Found while
        // splitting the tiers; see docs/testing.md.
        { label: "integration (serial)", flags: ["--trace-leaks"], files: serial },
        { label: "integration (last, alone)", flags: ["--trace-leaks"], files: last },
      ];
    case "faults":
      return [{ label: "faults", flags: [], files: tiers.faults }];
    case "leaks":
      return [{
        label: "leaks",
        flags: ["--trace-leaks"],
        files: [...tiers.integration, ...tiers.faults],
      }];
    default:
      throw new TypeError(`unknown tier ${tier}: use unit, integration, faults, leaks or all`);
  }
}

if (import.meta.main) {
  const [tier = "", ...extra] = Deno.args;
  Deno.exit(await runTestTier(tier, extra));
}
