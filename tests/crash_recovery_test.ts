import assert from "node:assert/strict";
import { connectPostgres } from "../infra/postgres/connect_postgres.ts";
import { cleanupRun, DATABASE_URL, eventually, runId, testEnv, token } from "./_support.ts";
import { DriverClient, type TestFix, track } from "./_driver_client.ts";
import { ServiceProcess } from "../sim/service_process.ts";
import { assertHistoryExact } from "./_history_check.ts";

const DRIVERS = 10;
const FIXES = 150;

/** Sends `fixes[from..]` one every few ms until done or the socket drops; returns the next index. */
async function stream(client: DriverClient, fixes: TestFix[], from: number, stopAt: number) {
  let i = from;
  for (; i < stopAt && client.open; i++) {
    client.send(fixes[i]!);
    await new Promise((r) => setTimeout(r, 8));
  }
  return i;
}

async function reconnect(client: DriverClient): Promise<void> {
  await eventually("reconnect", async () => {
    try {
      await client.connect();
      return true;
    } catch {
      return false;
    }
  }, 60_000);
}

Deno.test({
  name:
    "crash: after SIGKILL mid-stream and a restart, PostgreSQL has every acked fix exactly once",
  async fn() {
    const run = runId();
    const env = {
      ...Deno.env.toObject(),
      ...testEnv(run, { PORT: String(20_000 + Math.floor(Math.random() * 20_000)) }),
    };
    const sql = connectPostgres(DATABASE_URL);
    let service = await ServiceProcess.start({ env });
    const url = () => `ws://127.0.0.1:${service.port}/ws/driver`;
    const start = Date.now() - 10 * 60_000;
    const ids = Array.from({ length: DRIVERS }, (_, i) => `crash-${run}-${i}`);
    const fixes = ids.map((_, i) => track({ lat: 12.92 + i * 0.01, lon: 77.55, ts: start }, FIXES));
    const tokens = await Promise.all(ids.map((id) => token("driver", id)));
    let clients = ids.map((_, i) => new DriverClient(url(), tokens[i]!));
    try {
      await Promise.all(clients.map((c) => c.connect()));
      // Warm up (the producer's first send initialises it), so acks exist before the crash.
      clients.forEach((c, i) => c.send(fixes[i]![0]!));
      await eventually(
        "the first fix acked",
        () => Promise.resolve(clients.every((c, i) => c.ackedTs === fixes[i]![0]!.ts)),
      );
      // Stream on, then kill the service without warning while fixes are in flight.
      const sending = clients.map((c, i) => stream(c, fixes[i]!, 1, FIXES));
      await new Promise((r) => setTimeout(r, 400));
      assert.equal(await service.stop("SIGKILL"), 137);
      const sentBeforeCrash = await Promise.all(sending);
      await Promise.all(clients.map((c) => c.closed));
      const ackedBeforeCrash = clients.map((c) => c.ackedTs);
      assert.ok(
        sentBeforeCrash.every((n) => n > 0 && n < FIXES),
        `sent mid-stream: ${sentBeforeCrash}`,
      );
      assert.ok(ackedBeforeCrash.some((ts) => ts > 0), "some fixes were acked before the crash");

      service = await ServiceProcess.start({ env });
      clients = ids.map((_, i) =>
        Object.assign(new DriverClient(url(), tokens[i]!), { ackedTs: ackedBeforeCrash[i]! })
      );
      await Promise.all(clients.map((c) => reconnect(c)));
      // A real client resends everything after its last ack, then carries on.
      await Promise.all(clients.map((c, i) => {
        const next = fixes[i]!.findIndex((f) => f.ts > c.ackedTs);
        return stream(c, fixes[i]!, next, FIXES);
      }));
      await eventually(
        "every fix acked after the restart",
        () => Promise.resolve(clients.every((c, i) => c.ackedTs === fixes[i]!.at(-1)!.ts)),
        60_000,
      );
      for (const c of clients) {
        const unexpected = c.errors.filter((e) => e.code !== "duplicate" && e.code !== "stale");
        assert.deepEqual(unexpected, [], "only already-stored fixes may be refused on resend");
      }
      await assertHistoryExact(sql, new Map(ids.map((id, i) => [id, fixes[i]!])));
      // And a graceful stop drains: SIGTERM exits 0.
      await Promise.all(clients.map((c) => c.close()));
      assert.equal(await service.stop("SIGTERM"), 0, service.output);
    } finally {
      await Promise.all(clients.map((c) => c.close().catch(() => {})));
      await service.stop("SIGKILL");
      await sql.end();
      await cleanupRun(run);
    }
  },
});
