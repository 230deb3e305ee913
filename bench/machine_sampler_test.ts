import assert from "node:assert/strict";
import { MachineSampler, machineUsage } from "./machine_sampler.ts";

Deno.test("MachineSampler counts this process's CPU and memory as the bench's", () => {
  const sampler = new MachineSampler([]);
  const a = sampler.sample();
  let x = 0;
  const end = performance.now() + 300;
  while (performance.now() < end) x += Math.sqrt(x + 1);
  const u = machineUsage(a, sampler.sample());
  assert.ok(x > 0);
  // Some of the loop's CPU, not a share of the wall clock: other tests share the cores.
  assert.ok(u.roles.bench.cpuPercent > 0, `bench cpu ${u.roles.bench.cpuPercent}%`);
  assert.ok(u.roles.bench.peakPssMiB > 10, `bench pss ${u.roles.bench.peakPssMiB} MiB`);
  assert.ok(u.busyPercent >= u.roles.bench.cpuPercent * 0.5, `busy ${u.busyPercent}%`);
  assert.ok(u.busyPercent <= u.cores * 100 + 1);
  assert.equal(u.roles.service.cpuPercent, 0);
});
