import assert from "node:assert/strict";
import { autoSourceIps } from "./source_ips.ts";

Deno.test("autoSourceIps binds source addresses only when one destination would run out of ports", () => {
  assert.deepEqual(autoSourceIps(20_000), []);
  assert.deepEqual(autoSourceIps(100_000), ["127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4"]);
  // Six instances take 16,667 sockets each: the kernel shares ports across destinations.
  assert.deepEqual(autoSourceIps(100_000, 6), []);
  assert.deepEqual(autoSourceIps(100_000, 2), ["127.0.0.1", "127.0.0.2"]);
});
