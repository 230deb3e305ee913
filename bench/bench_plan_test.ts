import assert from "node:assert/strict";
import { parseBenchArgs } from "./bench_args.ts";
import { planBench, SEED_CONNECTS_PER_SECOND } from "./bench_plan.ts";

Deno.test("planBench ramps the seed scenario's drivers in at 250 a second unless told", () => {
  assert.equal(SEED_CONNECTS_PER_SECOND, 250);
  const plan = (args: string[]) => planBench(parseBenchArgs(args), 20_000).seed;
  assert.equal(plan([]).rampUpS, 400); // the default 100,000 drivers
  assert.equal(plan(["--seed-drivers", "50000"]).rampUpS, 200);
  assert.equal(plan(["--seed-drivers", "100"]).rampUpS, 3);
  assert.equal(plan(["--seed-drivers", "50000", "--seed-ramp", "100"]).rampUpS, 100);
});
