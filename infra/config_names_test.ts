import assert from "node:assert/strict";
import { deprecatedNames, loadConfig, pickSettings, presentSettings, SETTINGS } from "./config.ts";

const DEV = { TRACKING_DEV: "1" };

Deno.test("a former name is read when the setting is unset, and said to be deprecated", () => {
  const env = { ...DEV, ARRIVING_METERS: "90", JWT_MAX_TTL: "7200" };
  const config = loadConfig(env);
  assert.equal(config.ARRIVING_M, 90);
  assert.equal(config.JWT_MAX_TTL_S, 7200);
  assert.deepEqual(deprecatedNames(env), [
    "JWT_MAX_TTL is deprecated: use JWT_MAX_TTL_S",
    "ARRIVING_METERS is deprecated: use ARRIVING_M",
  ]);
  assert.deepEqual(deprecatedNames({ ...DEV, ARRIVING_M: "90" }), []);
  assert.equal(loadConfig(DEV).ARRIVING_M, 150);
});

Deno.test("the new name wins over a former one, which is said to be ignored", () => {
  const env = { ...DEV, ARRIVING_M: "80", ARRIVING_METERS: "90" };
  assert.equal(loadConfig(env).ARRIVING_M, 80);
  assert.deepEqual(deprecatedNames(env), [
    "ARRIVING_METERS is deprecated and ignored: ARRIVING_M is set",
  ]);
});

Deno.test("a removed setting that is still set is said to be no longer read", () => {
  assert.deepEqual(deprecatedNames({ ...DEV, ZONES_GROUP: "zone-judge" }), [
    "ZONES_GROUP is no longer read: the zone judge reads driver-locations with the history " +
    "writer, in HISTORY_GROUP",
  ]);
  assert.equal("ZONES_GROUP" in loadConfig({ ...DEV, ZONES_GROUP: "zone-judge" }), false);
  assert.deepEqual(deprecatedNames({ ...DEV, NOTIFIER_GROUP: "notifier" }), [
    "NOTIFIER_GROUP is no longer read: the notifier reads driver-locations with the history " +
    "writer, in HISTORY_GROUP",
  ]);
  assert.equal("NOTIFIER_GROUP" in loadConfig({ ...DEV, NOTIFIER_GROUP: "notifier" }), false);
});

Deno.test("a wrong value under a former name is refused naming the variable as it was set", () => {
  assert.throws(
    () => loadConfig({ ...DEV, ARRIVING_METERS: "far" }),
    /^TypeError: invalid configuration: ARRIVING_METERS: /,
  );
  assert.throws(
    () => loadConfig({ ...DEV, ARRIVING_M: "far" }),
    /^TypeError: invalid configuration: ARRIVING_M: /,
  );
});

Deno.test("booleans take 1, 0, true and false; anything else names the setting", () => {
  for (const [text, on] of [["1", true], ["true", true], ["0", false], ["false", false]] as const) {
    const config = loadConfig({ ...DEV, KAFKA_TLS: text, REUSE_PORT: text });
    assert.equal(config.KAFKA_TLS, on, text);
    assert.equal(config.REUSE_PORT, on, text);
  }
  assert.equal(loadConfig({ JWT_SECRET: "s".repeat(32), TRACKING_DEV: "true" }).TRACKING_DEV, true);
  assert.equal(loadConfig({ JWT_SECRET: "s".repeat(32) }).TRACKING_DEV, false);
  assert.throws(() => loadConfig({ ...DEV, KAFKA_TLS: "yes" }), /KAFKA_TLS/);
  assert.throws(
    () => loadConfig({ JWT_SECRET: "s".repeat(32), TRACKING_DEV: "on" }),
    /TRACKING_DEV/,
  );
  // The dev secret needs dev mode, however it is spelled.
  assert.equal(loadConfig({ TRACKING_DEV: "true" }).JWT_SECRET.length > 0, true);
});

Deno.test("pickSettings parses a few settings by the same schema, former names included", () => {
  const picked = pickSettings({}, ["PORT", "DATABASE_URL"]);
  assert.equal(picked.PORT, 8000);
  assert.equal(picked.DATABASE_URL, undefined);
  assert.deepEqual(pickSettings({ JWT_MAX_TTL: "60" }, ["JWT_MAX_TTL_S"]), { JWT_MAX_TTL_S: 60 });
  assert.throws(() => pickSettings({ PORT: "x" }, ["PORT"]), /invalid configuration: PORT: /);
});

Deno.test("presentSettings: empty means unset, but for NO_COLOR; other variables are left out", () => {
  assert.deepEqual(presentSettings({ PORT: "", NO_COLOR: "", HOME: "/root" }), { NO_COLOR: "" });
});

Deno.test("every setting is spelled in capitals with a unit suffix rule: _M, _MS, _S, never _METERS", () => {
  for (const [name, s] of Object.entries(SETTINGS)) {
    assert.match(name, /^[A-Z][A-Z0-9_]*$/);
    assert.doesNotMatch(name, /_(METERS|METRES|SECONDS|SECS|MILLIS|TTL)$/, name);
    const suffix = { m: /_M$/, ms: /_MS$/, s: /_S$/ }[s.unit];
    if (suffix) assert.match(name, suffix, `${name} is in ${s.unit}`);
    assert.ok(s.doc.length > 0 && !s.doc.includes("\n"), `${name} has a one-line doc`);
  }
});
