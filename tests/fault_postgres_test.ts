import assert from "node:assert/strict";
import { connectPostgres } from "../infra/postgres/connect_postgres.ts";
import { cleanupRun, runId, testEnv } from "./_support.ts";
import { FaultRig } from "./_fault_rig.ts";
import { ServiceProcess } from "./_service_process.ts";
import { ThrowawayPostgres } from "./_throwaway_postgres.ts";

const FAULT_MS = 15_000;

Deno.test("fault: PostgreSQL goes away for 15 s mid-stream; every fix is stored once, the notification sent once", async () => {
  // A server of the test's own, so the machine's PostgreSQL stays up for everyone else.
  const pg = await ThrowawayPostgres.start();
  const run = runId();
  const sql = connectPostgres(pg.url);
  let service: ServiceProcess | undefined;
  let rig: FaultRig | undefined;
  try {
    service = await ServiceProcess.start({
      ...Deno.env.toObject(),
      ...testEnv(run),
      DATABASE_URL: pg.url,
    });
    const url = `http://127.0.0.1:${service.port}`;
    rig = await FaultRig.start({ urls: () => [url], run });
    await new Promise((r) => setTimeout(r, 2_000));
    const faultAt = Date.now();
    rig.approach(FAULT_MS);
    await pg.stop();
    await new Promise((r) => setTimeout(r, FAULT_MS));
    await pg.start();
    const recoveredAt = Date.now();
    // The live view never needed PostgreSQL: positions keep coming.
    await rig.customerSeesPositionsAfter(recoveredAt, 10_000);
    await rig.readyAgain(recoveredAt, 30_000);
    assert.ok(rig.notReadyBetween(faultAt, recoveredAt), "/readyz said 503 during the fault");
    await rig.finish(sql, 30_000);
    assert.deepEqual(rig.driverCloses, [], "no driver socket was closed");
    await rig.close();
    assert.equal(await service.stop("SIGTERM"), 0, service.output);
  } catch (error) {
    console.error(service?.output.split("\n").filter((l) => !/^\s/.test(l)).slice(-60).join("\n"));
    throw error;
  } finally {
    await rig?.close();
    await service?.stop("SIGKILL");
    await sql.end();
    await pg.close();
    await cleanupRun(run);
  }
});
