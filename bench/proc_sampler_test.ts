import assert from "node:assert/strict";
import { parseProcStat, ProcSampler } from "./proc_sampler.ts";

Deno.test("parseProcStat reads ppid, name, CPU ticks and RSS even with spaces in the name", () => {
  const text =
    "4242 (deno (worker) x) S 4200 4242 4200 0 -1 4194560 1 0 0 0 150 25 0 0 20 0 7 0 100 5000 300";
  assert.deepEqual(parseProcStat(text), {
    pid: 4242,
    ppid: 4200,
    comm: "deno (worker) x",
    ticks: 175,
    rssKiB: 1200,
  });
});

Deno.test("ProcSampler measures this process's memory and CPU", () => {
  const s = new ProcSampler([Deno.pid]);
  let x = 0;
  const end = performance.now() + 300;
  while (performance.now() < end) x += Math.sqrt(x + 1);
  const u = s.usage();
  assert.ok(x > 0);
  assert.ok(u.peakRssMiB > 10, `rss ${u.peakRssMiB}`);
  assert.ok(u.cpuSeconds >= 0.1, `cpu ${u.cpuSeconds}`);
});
