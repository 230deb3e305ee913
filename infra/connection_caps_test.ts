import assert from "node:assert/strict";
import { connectionCaps, OPEN_FILES_HEADROOM } from "./connection_caps.ts";

Deno.test("connectionCaps keeps connections and sockets below the open-files limit", () => {
  const caps = connectionCaps({ MAX_SOCKETS: 150_000 }, 20_000);
  assert.equal(caps.maxConnections, 20_000 - OPEN_FILES_HEADROOM);
  // A twentieth of the connections stays for HTTP requests: the 503 comes before the drop.
  assert.equal(caps.maxSockets, caps.maxConnections - Math.floor(caps.maxConnections / 20));
});

Deno.test("connectionCaps takes lower settings as they are and never raises one past the limit", () => {
  assert.deepEqual(connectionCaps({ MAX_SOCKETS: 1_000, MAX_CONNECTIONS: 5_000 }, 20_000), {
    maxConnections: 5_000,
    maxSockets: 1_000,
    openFiles: 20_000,
  });
  const high = connectionCaps({ MAX_SOCKETS: 1_000_000, MAX_CONNECTIONS: 900_000 }, 1_024);
  assert.equal(high.maxConnections, 1_024 - OPEN_FILES_HEADROOM);
  assert.ok(high.maxSockets < high.maxConnections);
});

Deno.test("connectionCaps without a known limit uses the settings", () => {
  const caps = connectionCaps({ MAX_SOCKETS: 150_000 }, undefined);
  assert.equal(caps.maxSockets, 150_000);
  assert.ok(caps.maxConnections > caps.maxSockets);
});
