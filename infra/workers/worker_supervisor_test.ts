import assert from "node:assert/strict";
import { WorkerSupervisor } from "./worker_supervisor.ts";

/** Workers that are small scripts: each appends its index and pid to `log`, then runs `body`. */
function supervisor(dir: string, body: string, count = 2): WorkerSupervisor {
  const script = `
    const log = Deno.env.get("LOG"), index = Deno.env.get("INDEX");
    Deno.writeTextFileSync(log, index + " " + Deno.pid + "\\n", { append: true });
    ${body}`;
  return new WorkerSupervisor({
    count,
    command: Deno.execPath(),
    args: ["eval", script],
    env: (i) => ({ LOG: `${dir}/starts`, INDEX: String(i) }),
    backoff: { minMs: 50, maxMs: 50 },
    killAfterMs: 5_000,
  });
}

/** The starts logged so far, as [index, pid] pairs. */
function starts(dir: string): [number, number][] {
  let text = "";
  try {
    text = Deno.readTextFileSync(`${dir}/starts`);
  } catch { /* none yet */ }
  return text.trim().split("\n").filter(Boolean).map((l) =>
    l.split(" ").map(Number) as [
      number,
      number,
    ]
  );
}

async function until(what: string, check: () => boolean): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

Deno.test("WorkerSupervisor: restarts a worker that exits, and SIGTERM stops all with 0", async () => {
  const dir = await Deno.makeTempDir();
  // Worker 0 exits with 1 on its first two runs; worker 1 runs until SIGTERM and exits 0.
  const s = supervisor(
    dir,
    `Deno.addSignalListener("SIGTERM", () => Deno.exit(0));
     const runs = Deno.readTextFileSync(log).split("\\n").filter((l) => l.startsWith(index + " "));
     if (index === "0" && runs.length <= 2) Deno.exit(1);
     setInterval(() => {}, 1000);`,
  );
  try {
    s.start();
    await until(
      "worker 0 started three times",
      () => starts(dir).filter(([i]) => i === 0).length === 3,
    );
    await until("both running", () => s.pids.every((p) => p !== undefined));
    assert.equal(starts(dir).filter(([i]) => i === 1).length, 1, "worker 1 ran once");
    // A worker killed from outside comes back with another pid.
    const killed = s.pids[1]!;
    Deno.kill(killed, "SIGKILL");
    await until("worker 1 restarted", () => s.pids[1] !== undefined && s.pids[1] !== killed);
    assert.equal(await s.stop("SIGTERM"), 0);
    assert.deepEqual(s.pids, [undefined, undefined]);
  } finally {
    await s.stop("SIGKILL");
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("WorkerSupervisor: a configuration error (exit 2) stops every worker", async () => {
  const dir = await Deno.makeTempDir();
  const s = supervisor(
    dir,
    `Deno.addSignalListener("SIGTERM", () => Deno.exit(0));
     if (index === "1") setTimeout(() => Deno.exit(2), 300); else setInterval(() => {}, 1000);`,
  );
  try {
    s.start();
    assert.equal(await s.done(), 2);
    assert.equal(starts(dir).length, 2, "nothing restarted");
  } finally {
    await s.stop("SIGKILL");
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("WorkerSupervisor: a worker that does not exit on the signal is killed after killAfterMs", async () => {
  const dir = await Deno.makeTempDir();
  const s = new WorkerSupervisor({
    count: 1,
    command: Deno.execPath(),
    args: [
      "eval",
      `Deno.addSignalListener("SIGTERM", () => {}); Deno.writeTextFileSync(${
        JSON.stringify(`${dir}/listening`)
      }, ""); setInterval(() => {}, 1000);`,
    ],
    env: () => ({}),
    killAfterMs: 300,
  });
  try {
    s.start();
    await until("running", () => s.pids[0] !== undefined);
    // Its signal listener is installed (a fixed wait was too short on a busy machine).
    await until("listening", () => _exists(`${dir}/listening`));
    assert.equal(await s.stop("SIGTERM"), 1, "killed: not a clean exit");
  } finally {
    await s.stop("SIGKILL");
    await Deno.remove(dir, { recursive: true });
  }
});

function _exists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}
