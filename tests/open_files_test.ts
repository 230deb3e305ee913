import assert from "node:assert/strict";
import { cleanupRun, eventually, runId, testEnv } from "./_support.ts";
import { ServiceProcess } from "../sim/service_process.ts";

// Issue 19, item 1: ~20,000 idle TCP connections (the open-files limit) crashed the service with
// EMFILE on accept. Here the service runs under a limit of 512 open files and gets 900.

Deno.test("idle TCP connections past the open-files limit neither crash the service nor shut it out", async () => {
  const run = runId();
  const service = await ServiceProcess.start({
    env: { ...Deno.env.toObject(), ...testEnv(run), HTTP_HEADERS_TIMEOUT_MS: "2000" },
    openFiles: 512,
  });
  const conns: Deno.Conn[] = [];
  let exitCode: number | undefined;
  try {
    assert.match(service.output, /connection caps/);
    for (let i = 0; i < 900; i++) {
      conns.push(await Deno.connect({ hostname: "127.0.0.1", port: service.port }));
    }
    // Those over the cap are closed at once, the rest after the header timeout; then it answers.
    await eventually("the service answers /healthz again", async () => {
      try {
        const r = await fetch(`http://127.0.0.1:${service.port}/healthz`, {
          signal: AbortSignal.timeout(1_000),
        });
        await r.body?.cancel();
        return r.ok;
      } catch {
        return false;
      }
    }, 20_000);
  } finally {
    for (const conn of conns) {
      try {
        conn.close();
      } catch { /* closed by the server */ }
    }
    exitCode = await service.stop("SIGTERM");
    await cleanupRun(run);
  }
  assert.doesNotMatch(service.output, /crashed|Too many open files/);
  assert.equal(exitCode, 0, service.output.slice(-2_000));
});
