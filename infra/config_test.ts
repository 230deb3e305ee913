import assert from "node:assert/strict";
import { DEV_JWT_SECRET, loadConfig } from "./config.ts";

Deno.test("loadConfig applies defaults for an empty environment", () => {
  const config = loadConfig({});
  assert.equal(config.PORT, 8000);
  assert.deepEqual(config.KAFKA_BROKERS, ["127.0.0.1:9092"]);
  assert.equal(config.DATABASE_URL, undefined);
  assert.equal(config.JWT_SECRET, DEV_JWT_SECRET);
  assert.equal(config.HISTORY_FLUSH_ROWS, 1000);
});

Deno.test("loadConfig parses a broker list and numbers", () => {
  const config = loadConfig({ KAFKA_BROKERS: "a:1, b:2", PORT: "9000", HISTORY_FLUSH_MS: "50" });
  assert.deepEqual(config.KAFKA_BROKERS, ["a:1", "b:2"]);
  assert.equal(config.PORT, 9000);
  assert.equal(config.HISTORY_FLUSH_MS, 50);
});

Deno.test("loadConfig names the variable that is wrong", () => {
  assert.throws(() => loadConfig({ PORT: "eighty" }), /PORT/);
  assert.throws(() => loadConfig({ DATABASE_URL: "mysql://x" }), /DATABASE_URL/);
  assert.throws(() => loadConfig({ KAFKA_BROKERS: "nohost" }), /KAFKA_BROKERS/);
});

Deno.test("loadConfig has resource limits: 64 KiB bodies, 150,000 sockets, 5 per principal, 100 per ops", () => {
  const config = loadConfig({});
  assert.equal(config.MAX_BODY_BYTES, 65_536);
  assert.equal(config.MAX_SOCKETS, 150_000);
  assert.equal(config.MAX_SOCKETS_PER_PRINCIPAL, 5);
  assert.equal(config.MAX_SOCKETS_PER_OPS, 100);
  assert.throws(() => loadConfig({ MAX_SOCKETS_PER_PRINCIPAL: "0" }), /MAX_SOCKETS_PER_PRINCIPAL/);
});
