import assert from "node:assert/strict";
import { cleanupRun, runId, testEnv, token } from "./_support.ts";
import { DriverClient, track } from "./_driver_client.ts";
import { ServiceProcess } from "../sim/service_process.ts";
import { ThrowawayPostgres } from "./_throwaway_postgres.ts";

const GRACE_MS = 3_000;

Deno.test("fault: SIGTERM while PostgreSQL is down finishes within SHUTDOWN_GRACE_MS and exits 0", async () => {
  const pg = await ThrowawayPostgres.start();
  const run = runId();
  let service: ServiceProcess | undefined;
  let client: DriverClient | undefined;
  try {
    service = await ServiceProcess.start({
      env: {
        ...Deno.env.toObject(),
        ...testEnv(run),
        DATABASE_URL: pg.url,
        SHUTDOWN_GRACE_MS: String(GRACE_MS),
        // Buffer fixes for a long time, so the history still holds some when PostgreSQL goes.
        HISTORY_FLUSH_MS: "60000",
      },
    });
    client = new DriverClient(
      `ws://127.0.0.1:${service.port}/ws/driver`,
      await token("driver", `sd-${run}`),
    );
    await client.connect();
    const fixes = track({ lat: 12.95, lon: 77.6, ts: Date.now() - 60_000 }, 20);
    for (const fix of fixes) client.send(fix);
    const acked = Date.now() + 30_000;
    while (client.ackedTs < fixes.at(-1)!.ts && Date.now() < acked) {
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(client.ackedTs, fixes.at(-1)!.ts, "acked by Kafka");
    // The history writer cannot flush, the notifier cannot judge: both would wait for ever.
    await pg.stop();
    const started = Date.now();
    const code = await service.stop("SIGTERM");
    const took = Date.now() - started;
    assert.equal(code, 0, service.output);
    // The deadline, plus the last steps' own floors (closing connections) and process exit.
    assert.ok(took < GRACE_MS + 6_000, `shutdown took ${took} ms`);
  } finally {
    await client?.close();
    await service?.stop("SIGKILL");
    await pg.close();
    await cleanupRun(run);
  }
});
