import assert from "node:assert/strict";
import { SERVICE_V8_FLAGS, serviceV8Env } from "./service_v8_flags.ts";

Deno.test("serviceV8Env: ours by default, the operator's DENO_V8_FLAGS instead when set", () => {
  assert.deepEqual(serviceV8Env({}), { DENO_V8_FLAGS: SERVICE_V8_FLAGS });
  assert.deepEqual(serviceV8Env({ DENO_V8_FLAGS: "" }), { DENO_V8_FLAGS: SERVICE_V8_FLAGS });
  assert.deepEqual(serviceV8Env({ DENO_V8_FLAGS: "--max-semi-space-size=8" }), {
    DENO_V8_FLAGS: "--max-semi-space-size=8",
  });
});

Deno.test("deno task dev runs the service with the same V8 flags", async () => {
  const config = JSON.parse(
    await Deno.readTextFile(new URL("../../deno.json", import.meta.url)),
  ) as { tasks: Record<string, string> };
  assert.match(config.tasks.dev!, new RegExp(`--v8-flags=${SERVICE_V8_FLAGS}\\s+main\\.ts`));
});
