import assert from "node:assert/strict";
import { DEV_JWT_SECRET } from "../infra/config.ts";
import { runService } from "../sim/service_process.ts";
import { startupEnv } from "./_support.ts";

// main.ts as a child process: a missing, short or dev JWT secret outside dev mode stops start-up
// with one line on stderr and exit code 2, before anything is served or connected.

/** main.ts run to its exit, with the message of its one JSON log line. */
async function _start(env: Record<string, string>) {
  const run = await runService(startupEnv(env));
  let message = run.stderr;
  try {
    message = JSON.parse(run.stderr).message;
  } catch { /* not one JSON line: the asserts below show it */ }
  return { ...run, message };
}

Deno.test("main.ts without JWT_SECRET outside dev mode exits 2 with one line", async () => {
  const run = await _start({});
  assert.equal(run.code, 2, run.stdout + run.stderr);
  assert.match(run.message, /^JWT_SECRET is unset: .*deno task dev/);
  assert.equal(JSON.parse(run.stderr).setting, "JWT_SECRET");
  assert.equal(run.stderr.split("\n").length, 1, run.stderr);
  assert.doesNotMatch(run.stdout, /listening/);
});

Deno.test("main.ts with an 8-character JWT_SECRET exits 2", async () => {
  const run = await _start({ JWT_SECRET: "8chars!!" });
  assert.equal(run.code, 2);
  assert.match(run.message, /^JWT_SECRET has 8 bytes: at least 32 are required$/);
});

Deno.test("main.ts with the dev secret but without TRACKING_DEV=1 exits 2", async () => {
  const run = await _start({ JWT_SECRET: DEV_JWT_SECRET });
  assert.equal(run.code, 2);
  assert.match(run.message, /only `deno task dev` may use it/);
});
