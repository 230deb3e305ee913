import { stopChild } from "./stop_child.ts";

/** Options of {@linkcode startServiceProcess}. */
export interface ServiceProcessOptions {
  port: number;
  /** extra environment (DATABASE_URL, KAFKA_BROKERS, JWT_SECRET, ...) */
  env: Record<string, string>;
  /** where the service's stdout and stderr go */
  logFile: string;
  /** V8 inspector address (`--inspect=host:port`) for CPU profiles; none when absent */
  inspect?: string;
  /** give up when /readyz is not 200 within this many ms (default 120 s) */
  readyTimeoutMs?: number;
  /** worker processes (`start.ts --workers N`) when above 1; default 1 (`main.ts` itself) */
  workers?: number;
  /** CPUs to pin the service to (`taskset -c`, e.g. "1"); checked by the bench's arguments */
  cpus?: string;
}

/** A service process started by the bench. */
export interface ServiceProcess {
  /** pid of the deno process running main.ts (or start.ts, the workers' parent) */
  pid: number;
  url: string;
  /** SIGTERM, wait up to 20 s, then SIGKILL; resolves with the exit code */
  stop(): Promise<number>;
}

const _ROOT = new URL("../", import.meta.url).pathname;

/**
 * Starts the service (`deno run -A main.ts`, with the same deno that runs the bench, which is
 * what `npx -y deno@2.9.6 run -A main.ts` resolves to) under `bash -c 'ulimit -n <hard>; exec ...'`
 * so it may hold as many sockets as the OS allows, and waits for `GET /readyz` to answer 200.
 * With `workers` above 1 it runs `start.ts --workers N` instead, and waits for every worker's
 * "listening on" line in the log as well.
 */
export async function startServiceProcess(o: ServiceProcessOptions): Promise<ServiceProcess> {
  const workers = o.workers ?? 1;
  const entry = workers > 1 ? `start.ts --workers ${workers}` : "main.ts";
  const pin = o.cpus ? `taskset -c ${o.cpus} ` : "";
  const log = await Deno.open(o.logFile, { write: true, create: true, truncate: true });
  const child = new Deno.Command("bash", {
    args: [
      "-c",
      `ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec ${pin}"$0" run -A "$@" ${entry}`,
      Deno.execPath(),
      ...(o.inspect ? [`--inspect=${o.inspect}`] : []),
    ],
    cwd: _ROOT,
    env: { ...o.env, PORT: String(o.port) },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  // Both streams into one file, chunk by chunk (two pipeTo calls cannot share one writable:
  // the second found it locked, and the log stayed empty).
  const pumps = [child.stdout, child.stderr].map(async (s) => {
    try {
      for await (const chunk of s) await _writeAll(log, chunk);
    } catch { /* the child is gone */ }
  });
  let exited: Deno.CommandStatus | undefined;
  child.status.then((s) => exited = s);
  const url = `http://127.0.0.1:${o.port}`;
  const deadline = performance.now() + (o.readyTimeoutMs ?? 120_000);
  const stop = async () => {
    const code = await stopChild(child, child.status, 20_000);
    await Promise.all(pumps);
    log.close();
    return code;
  };
  while (performance.now() < deadline) {
    if (exited) {
      await stop();
      throw new Error(`service exited with ${exited.code} during start-up; see ${o.logFile}`);
    }
    try {
      const r = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2000) });
      await r.body?.cancel();
      if (r.status === 200 && _listening(o.logFile) >= workers) {
        return { pid: child.pid, url, stop };
      }
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 500));
  }
  await stop();
  throw new Error(
    `service not ready within ${(o.readyTimeoutMs ?? 120_000) / 1000} s; see ${o.logFile}`,
  );
}

async function _writeAll(file: Deno.FsFile, chunk: Uint8Array): Promise<void> {
  for (let off = 0; off < chunk.length;) off += await file.write(chunk.subarray(off));
}

/** How many "listening on" lines the service wrote so far (one per worker). */
function _listening(logFile: string): number {
  return Deno.readTextFileSync(logFile).split("listening on http").length - 1;
}
