import assert from "node:assert/strict";
import { simulatorSockets } from "./simulator_sockets.ts";

Deno.test("simulatorSockets: 100,000 drivers on 6 instances from 2 source addresses", () => {
  const s = simulatorSockets(100_000, {
    processes: 6,
    instances: 6,
    sourceIps: ["127.0.0.1", "127.0.0.2"],
  });
  assert.equal(s.sourceAddresses, 2);
  assert.equal(s.perSourceAndInstance, 8334);
  assert.equal(s.processes, 6);
  assert.ok(s.ephemeralPorts === null || s.ephemeralPorts > 1000, `${s.ephemeralPorts}`);
});

Deno.test("simulatorSockets: no source addresses bound is one (the kernel's)", () => {
  const s = simulatorSockets(5000, { processes: 1, instances: 1, sourceIps: [] });
  assert.equal(s.sourceAddresses, 1);
  assert.equal(s.perSourceAndInstance, 5000);
});
