import { connectPostgres } from "../infra/postgres/connect_postgres.ts";
import { cleanupRun, runId } from "./_support.ts";
import { withRiggedService } from "./_fault_rig.ts";
import { ThrowawayPostgres } from "./_throwaway_postgres.ts";

const FAULT_MS = 15_000;

Deno.test("fault: PostgreSQL goes away for 15 s mid-stream; every fix is stored once, the notification sent once", async () => {
  // A server of the test's own, so the machine's PostgreSQL stays up for everyone else.
  const pg = await ThrowawayPostgres.start();
  const run = runId();
  const sql = connectPostgres(pg.url);
  try {
    await withRiggedService(run, { DATABASE_URL: pg.url }, async (rig) => {
      const faultAt = Date.now();
      rig.approach(FAULT_MS);
      await pg.stop();
      await new Promise((r) => setTimeout(r, FAULT_MS));
      await pg.start();
      const recoveredAt = Date.now();
      await rig.assertRecovered(sql, faultAt, recoveredAt);
    });
  } finally {
    await sql.end();
    await pg.close();
    await cleanupRun(run);
  }
});
