import assert from "node:assert/strict";
import { DEV_JWT_SECRET, loadConfig } from "./config.ts";

const DEV = { TRACKING_DEV: "1" };
const SECRET = "s".repeat(32);

Deno.test("loadConfig applies defaults, the dev secret included, in dev mode", () => {
  const config = loadConfig(DEV);
  assert.equal(config.PORT, 8000);
  assert.deepEqual(config.KAFKA_BROKERS, ["127.0.0.1:9092"]);
  assert.equal(config.DATABASE_URL, undefined);
  assert.equal(config.JWT_SECRET, DEV_JWT_SECRET);
  assert.equal(config.HISTORY_FLUSH_ROWS, 1000);
});

Deno.test("loadConfig parses a broker list and numbers", () => {
  const config = loadConfig({
    ...DEV,
    KAFKA_BROKERS: "a:1, b:2",
    PORT: "9000",
    HISTORY_FLUSH_MS: "50",
  });
  assert.deepEqual(config.KAFKA_BROKERS, ["a:1", "b:2"]);
  assert.equal(config.PORT, 9000);
  assert.equal(config.HISTORY_FLUSH_MS, 50);
});

Deno.test("loadConfig names the variable that is wrong", () => {
  assert.throws(() => loadConfig({ ...DEV, PORT: "eighty" }), /PORT/);
  assert.throws(() => loadConfig({ ...DEV, DATABASE_URL: "mysql://x" }), /DATABASE_URL/);
  assert.throws(() => loadConfig({ ...DEV, KAFKA_BROKERS: "nohost" }), /KAFKA_BROKERS/);
});

Deno.test("loadConfig refuses a missing JWT_SECRET outside dev mode", () => {
  assert.throws(() => loadConfig({}), /JWT_SECRET is unset/);
  assert.throws(() => loadConfig({ TRACKING_DEV: "0" }), /JWT_SECRET is unset/);
});

Deno.test("loadConfig refuses the dev secret outside dev mode and accepts it in dev mode", () => {
  assert.throws(() => loadConfig({ JWT_SECRET: DEV_JWT_SECRET }), /dev secret/);
  assert.equal(loadConfig({ ...DEV, JWT_SECRET: DEV_JWT_SECRET }).JWT_SECRET, DEV_JWT_SECRET);
});

Deno.test("loadConfig refuses a JWT_SECRET under 32 bytes, even in dev mode", () => {
  assert.throws(() => loadConfig({ JWT_SECRET: "12345678" }), /8 bytes: at least 32/);
  assert.throws(() => loadConfig({ ...DEV, JWT_SECRET: "s".repeat(31) }), /31 bytes/);
  assert.equal(loadConfig({ JWT_SECRET: SECRET }).JWT_SECRET, SECRET);
  // 11 characters, 33 bytes of UTF-8: bytes count, not characters.
  assert.equal(loadConfig({ JWT_SECRET: "東京東京東京東京東京東" }).JWT_SECRET.length, 11);
});

Deno.test("loadConfig reads METRICS_TOKEN and refuses a short one", () => {
  assert.equal(loadConfig({ JWT_SECRET: SECRET }).METRICS_TOKEN, undefined);
  const token = "m".repeat(16);
  assert.equal(loadConfig({ JWT_SECRET: SECRET, METRICS_TOKEN: token }).METRICS_TOKEN, token);
  assert.throws(() => loadConfig({ JWT_SECRET: SECRET, METRICS_TOKEN: "short" }), /METRICS_TOKEN/);
});

Deno.test("loadConfig has resource limits: 64 KiB bodies, 150,000 sockets, 5 per principal, 100 per ops", () => {
  const config = loadConfig(DEV);
  assert.equal(config.MAX_BODY_BYTES, 65_536);
  assert.equal(config.MAX_SOCKETS, 150_000);
  assert.equal(config.MAX_SOCKETS_PER_PRINCIPAL, 5);
  assert.equal(config.MAX_SOCKETS_PER_OPS, 100);
  assert.throws(
    () => loadConfig({ ...DEV, MAX_SOCKETS_PER_PRINCIPAL: "0" }),
    /MAX_SOCKETS_PER_PRINCIPAL/,
  );
});

Deno.test("loadConfig: JWT_MAX_TTL_S defaults to 7 days and takes whole seconds", () => {
  assert.equal(loadConfig(DEV).JWT_MAX_TTL_S, 604_800);
  assert.equal(loadConfig({ ...DEV, JWT_MAX_TTL_S: "3600" }).JWT_MAX_TTL_S, 3600);
  assert.throws(() => loadConfig({ ...DEV, JWT_MAX_TTL_S: "0" }), /JWT_MAX_TTL_S/);
});

Deno.test("loadConfig has history stream limits: 4 in all (their pool's size), 2 per principal, 10 s stall, 10 min", () => {
  const config = loadConfig(DEV);
  assert.deepEqual(
    [config.MAX_STREAMS, config.MAX_STREAMS_PER_PRINCIPAL, config.STREAM_STALL_MS],
    [4, 2, 10_000],
  );
  assert.equal(config.STREAM_MAX_MS, 600_000);
  assert.throws(() => loadConfig({ ...DEV, MAX_STREAMS: "0" }), /MAX_STREAMS/);
});
