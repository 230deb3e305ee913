import assert from "node:assert/strict";
import { connectPostgres } from "../infra/postgres/connect_postgres.ts";
import { cleanupRun, DATABASE_URL, runId, testEnv } from "./_support.ts";
import { FaultRig } from "./_fault_rig.ts";
import { ServiceProcess } from "../sim/service_process.ts";

Deno.test("fault: a second instance joins, then leaves with SIGTERM, a third is SIGKILLed; history has no gap and no duplicate, the notification is sent once", async () => {
  const run = runId();
  const env = { ...Deno.env.toObject(), ...testEnv(run) };
  const start = (name: string) =>
    ServiceProcess.start({
      env: { ...env, INSTANCE_ID: `${name}-${run}` },
    });
  const sql = connectPostgres(DATABASE_URL);
  const alive = new Map<string, ServiceProcess>();
  const urls = () => [...alive.values()].map((s) => `http://127.0.0.1:${s.port}`);
  let rig: FaultRig | undefined;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  try {
    alive.set("a", await start("a"));
    alive.set("b", await start("b"));
    // Drivers spread over A and B; the customer watches on B.
    rig = await FaultRig.start({ urls, run });
    // Driver 0 crosses 500 m from the drop-off 12 s on: while B leaves and C joins.
    rig.approach(20_000);
    await sleep(8_000);
    const b = alive.get("b")!;
    alive.delete("b");
    assert.equal(await b.stop("SIGTERM"), 0, b.output);
    alive.set("c", await start("c"));
    await sleep(8_000);
    const c = alive.get("c")!;
    alive.delete("c");
    assert.equal(await c.stop("SIGKILL"), 137);
    const killedAt = Date.now();
    await sleep(5_000);
    await rig.customerSeesPositionsAfter(Date.now(), 10_000);
    await rig.readyAgain(killedAt, 30_000);
    await rig.finish(sql, 30_000);
    await rig.close();
  } catch (error) {
    for (const [name, s] of alive) {
      console.error(
        `--- ${name}\n${s.output.split("\n").filter((l) => !/^\s/.test(l)).slice(-40).join("\n")}`,
      );
    }
    throw error;
  } finally {
    await rig?.close();
    for (const s of alive.values()) await s.stop("SIGKILL");
    await sql.end();
    await cleanupRun(run);
  }
});
