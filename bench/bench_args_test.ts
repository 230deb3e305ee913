import { DEV_JWT_SECRET } from "../infra/config.ts";
import assert from "node:assert/strict";
import { parseBenchArgs, planLevels } from "./bench_args.ts";

Deno.test("planLevels sizes drivers from rate and interval", () => {
  const [a, b] = planLevels([5000, 20000], {
    intervalMs: 1000,
    durationS: 30,
    maxDrivers: 100_000,
  });
  assert.deepEqual(a, {
    name: "5kfps",
    drivers: 5000,
    intervalMs: 1000,
    durationS: 30,
    rampUpS: 3,
  });
  assert.deepEqual(b, {
    name: "20kfps",
    drivers: 20000,
    intervalMs: 1000,
    durationS: 30,
    rampUpS: 10,
  });
});

Deno.test("planLevels shortens the interval when drivers are capped, keeping the rate", () => {
  const [l] = planLevels([100_000], { intervalMs: 1000, durationS: 10, maxDrivers: 19_000 });
  assert.equal(l?.drivers, 19_000);
  assert.equal(l?.intervalMs, 190);
  assert.equal(Math.round((l!.drivers * 1000) / l!.intervalMs), 100_000);
});

Deno.test("parseBenchArgs defaults to a bench-started service and the seed scenario", () => {
  const a = parseBenchArgs([], {});
  assert.equal(a.url, undefined);
  assert.deepEqual(a.levels, [5000, 20000, 50000, 100000]);
  assert.equal(a.seedDrivers, 100_000);
  assert.equal(a.instances, 1);
  assert.equal(a.seedDurationS, 300);
  assert.equal(a.seedRampS, undefined);
  assert.equal(a.orderShare, 0);
  assert.equal(parseBenchArgs(["--order-share", "0.25"]).orderShare, 0.25);
  assert.throws(() => parseBenchArgs(["--order-share", "2"]), RangeError);
  assert.equal(parseBenchArgs(["--seed-ramp", "250"]).seedRampS, 250);
  assert.throws(() => parseBenchArgs(["--seed-ramp", "x"]), RangeError);
  assert.equal(a.seedInstances, "auto");
  assert.equal(parseBenchArgs(["--seed-instances", "7"]).seedInstances, 7);
  assert.equal(parseBenchArgs(["--instances", "6"]).instances, 6);
  assert.throws(() => parseBenchArgs(["--instances", "0"]), RangeError);
  assert.equal(a.seedIntervalMs, 5000);
  assert.equal(a.secret, DEV_JWT_SECRET);
});

Deno.test("parseBenchArgs --smoke targets a running service", () => {
  const a = parseBenchArgs(["--smoke"], { JWT_SECRET: "x".repeat(32) });
  assert.equal(a.smoke, true);
  assert.equal(a.url, "http://127.0.0.1:8000");
  assert.equal(a.secret, "x".repeat(32));
  assert.throws(() => parseBenchArgs(["--levels", "5k"]), RangeError);
});

Deno.test("parseBenchArgs --viewers is unset by default and counts viewers when given", () => {
  assert.equal(parseBenchArgs([]).viewers, undefined);
  assert.equal(parseBenchArgs(["--viewers", "200"]).viewers, 200);
  assert.equal(parseBenchArgs(["--viewers", "0"]).viewers, 0);
  assert.throws(() => parseBenchArgs(["--viewers=-1"]), RangeError);
});

Deno.test("parseBenchArgs --fleet-viewers is 0 by default and counts ops maps when given", () => {
  assert.equal(parseBenchArgs([]).fleetViewers, 0);
  assert.equal(parseBenchArgs(["--fleet-viewers", "10"]).fleetViewers, 10);
  assert.throws(() => parseBenchArgs(["--fleet-viewers=-1"]), RangeError);
});

Deno.test("parseBenchArgs runs the floor and the naive pipeline unless skipped, the stage profile when asked", () => {
  const a = parseBenchArgs([]);
  assert.deepEqual([a.skipFloor, a.skipNaivePipeline, a.skipStageProfile], [false, false, true]);
  assert.equal(parseBenchArgs(["--stage-profile"]).skipStageProfile, false);
  const b = parseBenchArgs(["--skip-floor", "--skip-naive-pipeline", "--skip-stage-profile"]);
  assert.deepEqual([b.skipFloor, b.skipNaivePipeline, b.skipStageProfile], [true, true, true]);
  assert.equal(b.skipNaive, false, "the kafkajs producer baseline is its own flag");
});

Deno.test("parseBenchArgs: --workers and --service-cpus", () => {
  const d = parseBenchArgs([], {});
  assert.equal(d.workers, 1);
  assert.equal(d.serviceCpus, undefined);
  const a = parseBenchArgs(["--workers", "2", "--service-cpus", "0-1,3"], {});
  assert.equal(a.workers, 2);
  assert.equal(a.serviceCpus, "0-1,3");
  assert.throws(() => parseBenchArgs(["--workers", "0"], {}), /--workers must be a number >= 1/);
  assert.throws(() => parseBenchArgs(["--service-cpus", "1; rm"], {}), /CPU list/);
});

Deno.test("parseBenchArgs passes --osmand-share to every level, refusing it under a 1 s interval", () => {
  assert.equal(parseBenchArgs([]).osmandShare, 0);
  assert.equal(parseBenchArgs(["--osmand-share", "0.5"]).osmandShare, 0.5);
  assert.equal(parseBenchArgs(["--osmand-share=1", "--interval=2000"]).osmandShare, 1);
  assert.throws(() => parseBenchArgs(["--osmand-share=2"]), /--osmand-share must be a number/);
  assert.throws(() => parseBenchArgs(["--osmand-share=1", "--interval=200"]), /--interval >= 1000/);
});
