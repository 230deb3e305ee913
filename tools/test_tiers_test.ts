import assert from "node:assert/strict";
import { integrationOrFaults, runsLast, runsSerially, testTiers } from "./test_tiers.ts";

const _ROOT = new URL("../", import.meta.url);

Deno.test("every test file of tests/ is in exactly one of integration and faults, and none is a unit test", async () => {
  const tiers = await testTiers();
  const inTests: string[] = [];
  for await (const entry of Deno.readDir(new URL("tests/", _ROOT))) {
    if (entry.isFile && entry.name.endsWith("_test.ts")) inTests.push(`tests/${entry.name}`);
  }
  const placed = [...tiers.integration, ...tiers.faults];
  assert.deepEqual([...placed].sort(), inTests.sort());
  assert.equal(new Set(placed).size, placed.length, "a file in two tiers");
  assert.deepEqual(tiers.unit.filter((f) => f.startsWith("tests/")), []);
  assert.ok(tiers.unit.length > 50 && tiers.integration.length > 5 && tiers.faults.length > 5);
});

Deno.test("unit tests import nothing from tests/ (where the broker and database helpers are)", async () => {
  const tiers = await testTiers();
  const wrong: string[] = [];
  for (const file of tiers.unit) {
    const source = await Deno.readTextFile(new URL(file, _ROOT));
    if (/^import[^;]*from\s+["'](\.\.\/)+tests\//m.test(source)) wrong.push(file);
  }
  assert.deepEqual(wrong, []);
});

Deno.test("integrationOrFaults: fault and start-up names, helpers that start servers, child processes", () => {
  const plain =
    'import { startService } from "../service.ts";\nimport { runId } from "./_support.ts";';
  assert.equal(integrationOrFaults("pipeline_test.ts", plain), "integration");
  assert.equal(integrationOrFaults("fault_anything_test.ts", plain), "faults");
  assert.equal(integrationOrFaults("startup_anything_test.ts", plain), "faults");
  for (const helper of ["_fault_rig.ts", "_kafka_cluster.ts", "_throwaway_postgres.ts"]) {
    const source = `${plain}\nimport { X } from "./${helper}";`;
    assert.equal(integrationOrFaults("x_test.ts", source), "faults", helper);
  }
  const child = 'import { ServiceProcess } from "../sim/service_process.ts";';
  assert.equal(integrationOrFaults("x_test.ts", `${plain}\n${child}`), "faults");
  assert.equal(integrationOrFaults("x_test.ts", "const c = new Deno.Command(deno, {});"), "faults");
});

Deno.test("the browser tests and the 2,000-viewer burst run serially", () => {
  assert.ok(runsSerially("tests/pages_browser_test.ts"));
  assert.ok(runsSerially("tests/viewer_burst_test.ts"));
  assert.ok(!runsSerially("tests/pipeline_test.ts"));
});

Deno.test("the stream budget test runs last, alone, not in the serial list", () => {
  assert.equal(runsLast("tests/stream_budget_test.ts"), true);
  assert.equal(runsSerially("tests/stream_budget_test.ts"), false);
  assert.equal(runsLast("tests/viewer_burst_test.ts"), false);
});
