import assert from "node:assert/strict";
import { parseSimulateArgs } from "./simulate_args.ts";

Deno.test("parseSimulateArgs maps flags to simulation options", () => {
  const a = parseSimulateArgs(
    [
      "--drivers",
      "500",
      "--interval",
      "5000",
      "--duration",
      "10",
      "--ramp-up",
      "2",
      "--url",
      "http://127.0.0.1:9000",
      "--order-share",
      "0.3",
    ],
    { JWT_SECRET: "s3" },
  );
  assert.deepEqual(a.sim, {
    drivers: 500,
    intervalMs: 5000,
    durationS: 10,
    rampUpS: 2,
    url: "http://127.0.0.1:9000",
    secret: "s3",
    orderShare: 0.3,
  });
  assert.equal(a.procs, "auto");
  assert.equal(a.child, false);
});

Deno.test("parseSimulateArgs spreads over one source address per 25,000 drivers", () => {
  assert.deepEqual(parseSimulateArgs(["--drivers", "100000"]).sim.sourceIps, [
    "127.0.0.1",
    "127.0.0.2",
    "127.0.0.3",
    "127.0.0.4",
  ]);
  assert.equal(parseSimulateArgs(["--drivers", "20000"]).sim.sourceIps, undefined);
  const sixInstances = Array.from({ length: 6 }, (_, i) => `http://127.0.0.1:${18080 + i}`);
  assert.equal(
    parseSimulateArgs(["--drivers", "100000", "--url", sixInstances.join(",")]).sim.sourceIps,
    undefined,
    "16,667 sockets per instance need no source binding",
  );
  assert.deepEqual(parseSimulateArgs(["--source-ips", "127.0.0.5-127.0.0.6"]).sim.sourceIps, [
    "127.0.0.5",
    "127.0.0.6",
  ]);
  assert.deepEqual(parseSimulateArgs(["--target-ips", "127.0.0.2,127.0.0.3"]).sim.targetIps, [
    "127.0.0.2",
    "127.0.0.3",
  ]);
});

Deno.test("parseSimulateArgs rejects nonsense numbers", () => {
  assert.throws(() => parseSimulateArgs(["--drivers", "zero"]), RangeError);
  assert.throws(() => parseSimulateArgs(["--interval", "0"]), RangeError);
  assert.throws(() => parseSimulateArgs(["--procs", "0"]), RangeError);
  for (const share of ["1.5", "-0.1", "", "half"]) {
    assert.throws(() => parseSimulateArgs([`--order-share=${share}`]), /from 0 to 1/);
  }
});

Deno.test("parseSimulateArgs reads --osmand-share from 0 to 1, with an interval of a second or more", () => {
  assert.equal(parseSimulateArgs(["--osmand-share", "0.5"]).sim.osmandShare, 0.5);
  assert.equal(parseSimulateArgs(["--osmand-share=1", "--interval=5000"]).sim.osmandShare, 1);
  assert.equal(parseSimulateArgs(["--osmand-share", "0"]).sim.osmandShare, 0);
  assert.equal(parseSimulateArgs([]).sim.osmandShare, undefined);
  for (const bad of ["-0.1", "1.5", "", "half"]) {
    assert.throws(() => parseSimulateArgs([`--osmand-share=${bad}`]), RangeError, bad);
  }
  // Phones send whole seconds: faster than a fix a second per driver cannot be expressed.
  assert.throws(
    () => parseSimulateArgs(["--osmand-share", "0.5", "--interval", "500"]),
    /--interval >= 1000/,
  );
  assert.equal(parseSimulateArgs(["--interval", "500"]).sim.intervalMs, 500);
});
