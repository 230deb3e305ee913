import assert from "node:assert/strict";
import { loggingSettings } from "./config_logging.ts";

const TERMINAL = () => true;

Deno.test("loggingSettings: unknown values fall back; pretty is the default only in dev mode", () => {
  assert.deepEqual(
    loggingSettings({ LOG_LEVEL: "loud", LOG_FORMAT: "xml" }),
    { level: "info", format: "json", colors: false },
  );
  assert.equal(loggingSettings({ TRACKING_DEV: "1", NO_COLOR: "1" }).format, "pretty");
  assert.equal(loggingSettings({ TRACKING_DEV: "true" }).format, "pretty");
  assert.equal(loggingSettings({ TRACKING_DEV: "0" }).format, "json");
  assert.equal(loggingSettings({ TRACKING_DEV: "yes" }).format, "json");
  assert.equal(loggingSettings({ TRACKING_DEV: "1", LOG_FORMAT: "json" }).format, "json");
  assert.equal(loggingSettings({ LOG_LEVEL: "debug" }).level, "debug");
});

Deno.test("loggingSettings: colours only in pretty, on a terminal, without NO_COLOR (even empty)", () => {
  assert.equal(loggingSettings({ LOG_FORMAT: "pretty" }, TERMINAL).colors, true);
  assert.equal(loggingSettings({ LOG_FORMAT: "pretty" }, () => false).colors, false);
  assert.equal(loggingSettings({ LOG_FORMAT: "json" }, TERMINAL).colors, false);
  assert.equal(loggingSettings({ LOG_FORMAT: "pretty", NO_COLOR: "1" }, TERMINAL).colors, false);
  assert.equal(loggingSettings({ LOG_FORMAT: "pretty", NO_COLOR: "" }, TERMINAL).colors, false);
});
