/**
 * Which test file runs in which tier (docs/testing.md), by rule, so a new file lands in a tier
 * without being listed anywhere:
 *
 * - `unit`: every `*_test.ts` outside `tests/` (beside the code): no broker, no database.
 * - `faults`: the `tests/` files that start (and stop, kill) their own brokers, clusters,
 *   PostgreSQL servers or service processes: named `fault_*` or `startup_*`, or importing a helper
 *   that starts one ({@linkcode FAULT_HELPERS}), or starting a child process themselves.
 * - `integration`: the rest of `tests/`, on the shared broker and PostgreSQL, run in parallel
 *   except {@linkcode SERIAL_TESTS}.
 */
export type Tier = "unit" | "integration" | "faults";

/**
 * Helpers that start a broker, a cluster, a PostgreSQL server or the service, by path from the
 * repository root: those of `tests/`, and the service as a child process (`sim/`).
 */
export const FAULT_HELPERS = [
  "tests/_fault_rig.ts",
  "tests/_kafka_cluster.ts",
  "tests/_test_broker.ts",
  "tests/_throwaway_postgres.ts",
  "sim/service_process.ts",
] as const;

/** `tests/` file names that are fault tests whatever they import. */
export const FAULT_NAMES: readonly RegExp[] = [/^fault_\w+_test\.ts$/, /^startup_\w+_test\.ts$/];

/**
 * Integration tests that run one at a time, after the parallel ones. Each is isolated (its own
 * topics, groups, ids), but needs the machine's time: headless Chromium and 2,000 sockets on one
 * order take both cores of a small machine; live tracking waits for every notification within
 * fixed times; a history stream must stall for its cut while other tests' work keeps the server
 * writing; the baselines run the simulator against two pipelines and expect 95% acked within the
 * drain (each failed in parallel on 2 cores: the naive pipeline acked 365 of 400 in a CI run).
 */
export const SERIAL_TESTS: readonly RegExp[] = [
  /_browser_test\.ts$/,
  /^viewer_burst_test\.ts$/,
  /^live_tracking_test\.ts$/,
  /^bench_baselines_test\.ts$/,
];

/**
 * Integration tests that run last, alone, once the other tiers are done (in `deno task test`):
 * the stream budget test times a stream nobody reads being cut after `STREAM_STALL_MS` (3 s), and
 * a loaded machine stretches that. docs/testing.md.
 */
export const LAST_TESTS: readonly RegExp[] = [/^stream_budget_test\.ts$/];

const _ROOT = new URL("../", import.meta.url);
const _SKIP = new Set([".git", ".data", "node_modules", "tests"]);

/** The tier of a file under `tests/` (`name` without the folder), given its source. */
export function integrationOrFaults(name: string, source: string): "integration" | "faults" {
  if (FAULT_NAMES.some((re) => re.test(name))) return "faults";
  const imports = [...source.matchAll(/from\s+["'](\.\/|\.\.\/)([\w/]+\.ts)["']/g)]
    .map((m) => m[1] === "./" ? `tests/${m[2]}` : m[2]!);
  if (imports.some((i) => (FAULT_HELPERS as readonly string[]).includes(i))) return "faults";
  if (/\bnew Deno\.Command\(/.test(source)) return "faults";
  return "integration";
}

/** Every test file of the repository (paths from its root, sorted) by tier. */
export async function testTiers(root: URL = _ROOT): Promise<Record<Tier, string[]>> {
  const tiers: Record<Tier, string[]> = { unit: [], integration: [], faults: [] };
  for await (const path of _testFiles(root, "")) tiers.unit.push(path);
  for await (const entry of Deno.readDir(new URL("tests/", root))) {
    if (!entry.isFile || !entry.name.endsWith("_test.ts")) continue;
    const source = await Deno.readTextFile(new URL(`tests/${entry.name}`, root));
    tiers[integrationOrFaults(entry.name, source)].push(`tests/${entry.name}`);
  }
  for (const list of Object.values(tiers)) list.sort();
  return tiers;
}

/** Whether a `tests/` file runs alone rather than in parallel with the others of its tier. */
export function runsSerially(path: string): boolean {
  const name = path.split("/").pop()!;
  return SERIAL_TESTS.some((re) => re.test(name));
}

/** Whether a `tests/` file runs last, alone, after the other tiers ({@linkcode LAST_TESTS}). */
export function runsLast(path: string): boolean {
  const name = path.split("/").pop()!;
  return LAST_TESTS.some((re) => re.test(name));
}

async function* _testFiles(root: URL, dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(new URL(dir || ".", root))) {
    const path = `${dir}${entry.name}`;
    if (entry.isDirectory && !_SKIP.has(entry.name)) yield* _testFiles(root, `${path}/`);
    else if (entry.isFile && entry.name.endsWith("_test.ts")) yield path;
  }
}
