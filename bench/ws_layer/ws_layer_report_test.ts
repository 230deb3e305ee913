import assert from "node:assert/strict";
import {
  dueSends,
  fixMessage,
  formatTable,
  kibPerSocket,
  microsPerMessage,
  type ScenarioResult,
  splitEvenly,
  statusKiB,
} from "./ws_layer_report.ts";

Deno.test("dueSends spreads a rate evenly over the second and never goes negative", () => {
  assert.equal(dueSends(0, 5000), 0);
  assert.equal(dueSends(1, 5000), 5);
  assert.equal(dueSends(999, 1000), 999);
  assert.equal(dueSends(20_000, 10_000), 200_000);
  assert.equal(dueSends(-5, 1000), 0);
});

Deno.test("splitEvenly splits a total into counts that differ by at most one", () => {
  assert.deepEqual(splitEvenly(10_000, 2), [5000, 5000]);
  assert.deepEqual(splitEvenly(19_000, 4), [4750, 4750, 4750, 4750]);
  assert.deepEqual(splitEvenly(7, 3), [3, 2, 2]);
  assert.equal(splitEvenly(19_001, 4).reduce((a, b) => a + b, 0), 19_001);
});

Deno.test("kibPerSocket and microsPerMessage round to one decimal and guard zero", () => {
  assert.equal(kibPerSocket(50_000, 150_000, 10_000), 10);
  assert.equal(kibPerSocket(50_000, 50_123, 100), 1.2);
  assert.equal(kibPerSocket(1, 2, 0), 0);
  assert.equal(microsPerMessage(2, 100_000), 20);
  assert.equal(microsPerMessage(1.23456, 100_000), 12.3);
  assert.equal(microsPerMessage(1, 0), 0);
});

Deno.test("statusKiB reads a field of /proc/<pid>/status", () => {
  const status = "Name:\tdeno\nVmHWM:\t  412340 kB\nVmRSS:\t  98764 kB\nThreads:\t9\n";
  assert.equal(statusKiB(status, "VmRSS"), 98764);
  assert.equal(statusKiB(status, "VmHWM"), 412340);
  assert.ok(Number.isNaN(statusKiB(status, "VmSwap")));
});

Deno.test("fixMessage is JSON of about 150 bytes, different for each seq", () => {
  const a = fixMessage(17, 1, 1_764_432_000_123);
  const b = fixMessage(17, 2, 1_764_432_000_123);
  const fix = JSON.parse(a);
  assert.equal(fix.type, "location");
  assert.equal(fix.driver, "drv-00017");
  assert.ok(fix.lat >= 12.85 && fix.lat <= 13.15 && fix.lon >= 77.45 && fix.lon <= 77.75);
  assert.ok(a.length >= 140 && a.length <= 170, `${a.length} bytes`);
  assert.notEqual(a, b);
});

Deno.test("formatTable prints one row per load phase, and one for a scenario without any", () => {
  const base: ScenarioResult = {
    impl: "ws",
    sockets: 100,
    opened: 100,
    failed: 0,
    openSeconds: 1,
    rssBeforeKiB: 1000,
    rssIdleKiB: 2000,
    idleKiBPerSocket: 10,
    loads: [],
    serverStats: {},
  };
  const load = {
    sockets: 100,
    seconds: 20,
    sentPerSecond: 99.6,
    receivedPerSecond: 99.4,
    serverCpuSeconds: 0.1,
    cpuMicrosPerMessage: 50.2,
    peakRssKiB: 3072,
    peakKiBPerSocket: 20.7,
    clientCpuPercent: 3.2,
  };
  const lines = formatTable([base, { ...base, impl: "deno", loads: [load, load] }]).split("\n");
  assert.equal(lines.length, 2 + 1 + 2);
  assert.match(lines[2]!, /^\| ws \| 100\/100 \| 10 \| – /);
  assert.equal(lines[3], "| deno | 100/100 | 10 | 100 | 100 | 99 | 50.2 | 3 | 20.7 | 3 |");
});
