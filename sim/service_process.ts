/**
 * The service as a child process, the one way the demo, the benchmark and the tests start it:
 * `main.ts` (or `start.ts --workers N`) run by the deno that runs the caller (what
 * `npx -y deno@2.9.6 run -A main.ts` resolves to), from the repository root, its environment on
 * top of the caller's. {@linkcode ServiceProcess.start} resolves once it listens (or answers
 * `GET /readyz` with 200); {@linkcode runService} runs it to its exit.
 * @module
 */
import { ServiceOutput } from "./_service_output.ts";
import { stopChild } from "./stop_child.ts";
import { serviceV8Env } from "../infra/workers/service_v8_flags.ts";

const _ROOT = new URL("../", import.meta.url).pathname;

/** Options of {@linkcode ServiceProcess.start}. */
export interface ServiceProcessOptions {
  /** Settings on top of the caller's environment (DATABASE_URL, KAFKA_BROKERS, JWT_SECRET, ...). */
  readonly env?: Record<string, string>;
  /**
   * The port (`PORT`); default `env.PORT`. With 0 the service picks one, read from its
   * "listening on" log line (which needs `LOG_LEVEL` info: the default, kept unless `env` says).
   */
  readonly port?: number;
  /** Worker processes (`start.ts --workers N`, all on one port) when above 1; default 1. */
  readonly workers?: number;
  /**
   * What start-up waits for: every worker's "listening on" line (`"listening"`, the default), or
   * that and then `GET /readyz` answering 200 (`"ready"`).
   */
  readonly waitFor?: "listening" | "ready";
  /** Give up (and stop it) when it is not started within this many ms; default 60 s. */
  readonly timeoutMs?: number;
  /** Its open-files limit (`ulimit -n`): a number, or `"hard"` for the hard limit; default kept. */
  readonly openFiles?: number | "hard";
  /** The file its stdout and stderr go to; default: kept in memory, in `output`. */
  readonly logFile?: string;
  /** V8 inspector address (`--inspect=host:port`), for CPU profiles. */
  readonly inspect?: string;
  /** CPUs to pin it to (`taskset -c`, e.g. "1"). */
  readonly cpus?: string;
  /** {@linkcode ServiceProcess.stop} sends SIGKILL this long after its signal; default never. */
  readonly killAfterMs?: number;
}

/**
 * How the demo and the benchmark start it: under the hard open-files limit (as many sockets as
 * the OS allows), ready once `GET /readyz` answers 200 (at most 120 s), and stopped with SIGTERM
 * then SIGKILL 20 s later.
 */
export const BENCH_SERVICE_OPTIONS = {
  openFiles: "hard",
  waitFor: "ready",
  timeoutMs: 120_000,
  killAfterMs: 20_000,
} as const satisfies ServiceProcessOptions;

/** A service process started by {@linkcode ServiceProcess.start}. */
export class ServiceProcess {
  readonly #child: Deno.ChildProcess;
  readonly #out: ServiceOutput;
  readonly #pumps: Promise<void>[];
  readonly #port: number;
  readonly #killAfterMs: number | undefined;
  #status: Deno.CommandStatus | undefined;

  private constructor(child: Deno.ChildProcess, out: ServiceOutput, o: ServiceProcessOptions) {
    this.#child = child;
    this.#out = out;
    this.#pumps = [out.pump(child.stdout), out.pump(child.stderr)];
    this.#port = o.port ?? Number(o.env?.PORT ?? 0);
    this.#killAfterMs = o.killAfterMs;
    child.status.then((s) => this.#status = s);
  }

  /** Starts the service and resolves once it is started (see `waitFor`); throws with its output. */
  static async start(o: ServiceProcessOptions = {}): Promise<ServiceProcess> {
    const out = new ServiceOutput(o.logFile);
    await out.open();
    const service = new ServiceProcess(_spawn(o), out, o);
    try {
      await service.#started(o.workers ?? 1, o.waitFor ?? "listening", o.timeoutMs ?? 60_000);
      return service;
    } catch (error) {
      // SIGTERM first: a launcher (`--workers`) stops its workers before it exits.
      await service.#halt("SIGTERM", service.#killAfterMs ?? 5_000);
      throw error;
    }
  }

  /** pid of the deno process running main.ts (or start.ts, the workers' parent). */
  get pid(): number {
    return this.#child.pid;
  }

  /** The port it listens on. */
  get port(): number {
    return this.#port || this.#out.port;
  }

  /** `http://127.0.0.1:<port>`. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Its stdout and stderr so far (empty with a `logFile`). */
  get output(): string {
    return this.#out.text;
  }

  /**
   * Sends `signal` (SIGTERM by default), then SIGKILL after `killAfterMs` if one was given, and
   * waits for the exit; resolves with the exit code.
   */
  stop(signal: Deno.Signal = "SIGTERM"): Promise<number> {
    return this.#halt(signal, this.#killAfterMs);
  }

  async #halt(signal: Deno.Signal, killAfterMs: number | undefined): Promise<number> {
    const kill = killAfterMs === undefined ? {} : { killAfterMs };
    const code = await stopChild(this.#child, this.#child.status, { signal, ...kill });
    await Promise.all(this.#pumps);
    this.#out.close();
    return code;
  }

  async #started(workers: number, waitFor: "listening" | "ready", timeoutMs: number) {
    const deadline = performance.now() + timeoutMs;
    while (performance.now() < deadline) {
      if (this.#status) {
        throw new Error(
          `service exited with ${this.#status.code} during start-up${this.#out.describe()}`,
        );
      }
      if (this.#out.listening >= workers && (waitFor === "listening" || await _ready(this.url))) {
        return;
      }
      await new Promise((r) => setTimeout(r, waitFor === "ready" ? 500 : 50));
    }
    throw new Error(`service not started within ${timeoutMs / 1000} s${this.#out.describe()}`);
  }
}

/** What a run of the service to its exit left behind ({@linkcode runService}). */
export interface ServiceRun {
  readonly code: number;
  readonly stdout: string;
  /** Trimmed. */
  readonly stderr: string;
  readonly elapsedMs: number;
}

/**
 * Runs main.ts with `env` (on top of the caller's environment) until it exits, at most
 * `timeoutMs` (default 60 s).
 */
export async function runService(
  env: Record<string, string>,
  options: { readonly timeoutMs?: number } = {},
): Promise<ServiceRun> {
  const started = performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", `${_ROOT}main.ts`],
    cwd: _ROOT,
    env,
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(options.timeoutMs ?? 60_000),
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return {
    code: out.code,
    stdout: text(out.stdout),
    stderr: text(out.stderr).trim(),
    elapsedMs: performance.now() - started,
  };
}

/** A random 48-byte JWT secret, base64 (the service refuses one under 32 bytes outside dev). */
export function randomSecret(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(48))));
}

/** `bash -c '[ulimit -n N;] exec [taskset -c CPUS] deno run -A [--inspect=...] ENTRY'`. */
function _spawn(o: ServiceProcessOptions): Deno.ChildProcess {
  const workers = o.workers ?? 1;
  const entry = workers > 1 ? `start.ts --workers ${workers}` : "main.ts";
  const limit = o.openFiles === "hard"
    ? `ulimit -n "$(ulimit -Hn)" 2>/dev/null; `
    : o.openFiles === undefined
    ? ""
    : `ulimit -n ${o.openFiles} && `;
  const pin = o.cpus ? `taskset -c ${o.cpus} ` : "";
  const port = o.port === undefined ? {} : { PORT: String(o.port) };
  return new Deno.Command("bash", {
    args: [
      "-c",
      `${limit}exec ${pin}"$0" run -A "$@" ${entry}`,
      Deno.execPath(),
      ...(o.inspect ? [`--inspect=${o.inspect}`] : []),
    ],
    cwd: _ROOT,
    // The V8 flags the service ships with (`start.ts` gives them to its workers), unless this
    // process's DENO_V8_FLAGS or `o.env`'s (BENCH_SERVICE_V8_FLAGS in the bench) replaces them.
    env: { LOG_LEVEL: "info", ...serviceV8Env(Deno.env.toObject()), ...o.env, ...port },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

async function _ready(url: string): Promise<boolean> {
  try {
    const r = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2000) });
    await r.body?.cancel();
    return r.status === 200;
  } catch {
    return false; // not listening yet
  }
}
