import assert from "node:assert/strict";
import { connectPostgres } from "../infra/postgres/connect_postgres.ts";
import { DriverClient, type TestFix, track } from "./_driver_client.ts";
import { freePorts } from "./_free_ports.ts";
import { assertHistoryExact } from "./_history_check.ts";
import { ServiceProcess } from "../sim/service_process.ts";
import { cleanupRun, DATABASE_URL, eventually, runId, testEnv, token } from "./_support.ts";

/**
 * `deno run -A start.ts --workers N` as a child (the shared {@linkcode ServiceProcess}), with
 * JSON logs; its log lines (and its workers') read back from its output.
 */
class Launcher {
  readonly #service: ServiceProcess;

  private constructor(service: ServiceProcess) {
    this.#service = service;
  }

  /** Starts it and resolves once every worker listens (at most 60 s). */
  static async start(env: Record<string, string>, workers: number): Promise<Launcher> {
    const service = await ServiceProcess.start({
      env: { ...env, LOG_LEVEL: "info", LOG_FORMAT: "json", TRACKING_DEV: "" },
      workers,
    });
    return new Launcher(service);
  }

  get output(): string {
    return this.#service.output;
  }

  /** Its JSON log lines so far. */
  get lines(): Record<string, unknown>[] {
    const lines: Record<string, unknown>[] = [];
    for (const line of this.output.split("\n")) {
      try {
        lines.push(JSON.parse(line));
      } catch { /* not a log line */ }
    }
    return lines;
  }

  /** Log lines whose message starts with `prefix`. */
  logged(prefix: string): Record<string, unknown>[] {
    return this.lines.filter((l) => String(l.message).startsWith(prefix));
  }

  /** SIGKILLs the workers still running by the log, then the launcher (clean-up after a failure). */
  async kill(): Promise<number> {
    const ended = new Set(
      this.lines.filter((l) => /^worker (stopped|exited|refused)/.test(String(l.message)))
        .map((l) => l.pid),
    );
    for (const { pid } of this.logged("worker started")) {
      if (ended.has(pid)) continue;
      try {
        Deno.kill(Number(pid), "SIGKILL");
      } catch { /* gone */ }
    }
    return await this.stop("SIGKILL");
  }

  /** Sends `signal` and resolves with the exit code. */
  stop(signal: Deno.Signal): Promise<number> {
    return this.#service.stop(signal);
  }
}

/**
 * GET /metrics on a fresh connection each time (no keep-alive, so the kernel picks a worker per
 * request) until every instance in `ids` answered: each one's fixes accepted so far.
 */
async function scrapeEach(port: number, ids: string[]): Promise<Map<string, number>> {
  const seen = new Map<string, number>();
  for (let i = 0; i < 80 && seen.size < ids.length; i++) {
    const client = Deno.createHttpClient({ poolMaxIdlePerHost: 0 });
    try {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`, { client })).text();
      const instance = /tracking_instance_info\{instance="([^"]+)"\} 1/.exec(text)?.[1];
      const accepted = [...text.matchAll(/^tracking_fixes_accepted_total\{[^}]*\} (\d+)/gm)]
        .reduce((n, m) => n + Number(m[1]), 0);
      if (instance) seen.set(instance, accepted);
    } finally {
      client.close();
    }
  }
  assert.deepEqual([...seen.keys()].sort(), ids, "every worker answered on the shared port");
  return seen;
}

Deno.test("start.ts --workers 2: both serve one port, a reconnecting driver keeps its order, a killed worker restarts, SIGTERM drains", async () => {
  const run = runId();
  const port = freePorts(1);
  const env = testEnv(run, { PORT: String(port), INSTANCE_ID: `wk-${run}` });
  const ids = [`wk-${run}-w0`, `wk-${run}-w1`];
  const launcher = await Launcher.start(env, 2);
  const sql = connectPostgres(DATABASE_URL);
  try {
    assert.deepEqual(launcher.logged("listening on").map((l) => l.instance).sort(), ids);

    // A driver that reconnects (a new connection, so maybe another worker) until both workers
    // took some of its fixes. Each session resends the last fix of the one before, unacked as
    // far as it knows; on the other worker that one may be accepted again.
    const driverId = `wd-${run}`;
    const url = `ws://127.0.0.1:${port}/ws/driver`;
    const fixes = track({ lat: 12.95, lon: 77.6, ts: Date.now() - 60_000 }, 60);
    const driverToken = await token("driver", driverId);
    let before = await scrapeEach(port, ids);
    const tookFixes = new Set<string>();
    let sent = 0;
    for (let session = 0; session < 15 && (tookFixes.size < 2 || session < 3); session++) {
      const batch: TestFix[] = fixes.slice(Math.max(0, sent - 1), sent + 3);
      sent += 3;
      const client = new DriverClient(url, driverToken);
      await client.connect();
      for (const fix of batch) client.send(fix);
      const last = batch.at(-1)!.ts;
      await eventually("acked", () => Promise.resolve(client.ackedTs >= last), 10_000);
      assert.deepEqual(client.errors.filter((e) => e.code !== "duplicate"), []);
      await client.close();
      const after = await scrapeEach(port, ids);
      for (const id of ids) if (after.get(id)! > before.get(id)!) tookFixes.add(id);
      before = after;
    }
    assert.deepEqual([...tookFixes].sort(), ids, "the driver's fixes went to both workers");
    const stored = fixes.slice(0, sent);
    await assertHistoryExact(sql, new Map([[driverId, stored]]), 20_000);
    const rows = await sql<{ ts: string; seq: string }[]>`
      select ts, seq from driver_locations where driver_id = ${driverId} order by ts`;
    const seqs = rows.map((r) => Number(r.seq));
    assert.ok(seqs.every((s, i) => i === 0 || s > seqs[i - 1]!), `seq follows ts: ${seqs}`);

    // SIGKILL one worker: the launcher starts it again, and it serves again.
    const first = launcher.logged("worker started").find((l) => l.worker === 0)!;
    Deno.kill(Number(first.pid), "SIGKILL");
    await eventually("worker 0 restarted and listening", () =>
      Promise.resolve(
        launcher.logged("worker started").filter((l) => l.worker === 0).length === 2 &&
          launcher.logged("listening on").filter((l) => l.instance === ids[0]).length === 2,
      ), 60_000);
    assert.equal(launcher.logged("worker exited: restarting")[0]?.signal, "SIGKILL");
    await scrapeEach(port, ids);

    // SIGTERM drains both workers and the launcher exits 0.
    assert.equal(await launcher.stop("SIGTERM"), 0, launcher.output);
    assert.equal(launcher.logged("stopped").length, 2, "both workers drained");
    assert.equal(launcher.logged("workers stopped")[0]?.exitCode, 0);
  } finally {
    await launcher.kill();
    await sql.end({ timeout: 1 });
    await cleanupRun(run);
  }
});

Deno.test("start.ts refuses --workers 2 without DATABASE_URL: one line, exit 2, no worker started", async () => {
  const start = new URL("../start.ts", import.meta.url).pathname;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", start, "--workers", "2"],
    env: { DATABASE_URL: "", JWT_SECRET: "", LOG_FORMAT: "json", LOG_LEVEL: "" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const lines = new TextDecoder().decode(out.stderr).trim().split("\n");
  assert.equal(out.code, 2);
  assert.equal(lines.length, 1, lines.join("\n"));
  const line = JSON.parse(lines[0]!);
  assert.equal(line.level, "error");
  assert.match(line.message, /^--workers 2 needs DATABASE_URL/);
});
