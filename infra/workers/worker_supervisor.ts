import { backoffDelay, type BackoffOptions } from "../../lib/retry.ts";
import { logger } from "../../lib/log.ts";
import { EXIT_CODES } from "../startup_error.ts";

const _log = logger("workers");

/** Options of {@linkcode WorkerSupervisor}. */
export interface WorkerSupervisorOptions {
  /** Worker processes to keep running. */
  readonly count: number;
  /** The program (e.g. `Deno.execPath()`) and its arguments. */
  readonly command: string;
  readonly args: readonly string[];
  /** Environment of worker `index`, on top of the launcher's own. */
  readonly env: (index: number) => Record<string, string>;
  /**
   * Delays between restarts of one worker.
   * @default {{ minMs: 500, maxMs: 30_000, jitter: 0.2 }}
   */
  readonly backoff?: BackoffOptions;
  /**
   * A worker that ran at least this long before it exited restarts after the shortest delay.
   * @default {60_000}
   */
  readonly stableMs?: number;
  /** After {@linkcode WorkerSupervisor.stop}, workers still running this long get SIGKILL. */
  readonly killAfterMs: number;
}

/**
 * Runs `count` worker processes and keeps them running: one that exits while the supervisor is
 * not stopping is started again after a backoff delay (a configuration error, exit code 2, stops
 * every worker instead: a restart cannot fix it). {@linkcode stop} forwards a signal to every
 * worker and waits for them to drain. Workers inherit stdout and stderr.
 */
export class WorkerSupervisor {
  #o: WorkerSupervisorOptions;
  #children: (Deno.ChildProcess | undefined)[] = [];
  #lastCodes: (number | undefined)[] = [];
  #loops: Promise<void>[] = [];
  #stopping = new AbortController();
  #signal: Deno.Signal = "SIGTERM";
  #fatal: number | undefined;

  constructor(options: WorkerSupervisorOptions) {
    this.#o = options;
  }

  /** pids of the workers running now, by index (undefined while one restarts). */
  get pids(): (number | undefined)[] {
    return Array.from({ length: this.#o.count }, (_, i) => this.#children[i]?.pid);
  }

  /** Starts every worker. */
  start(): void {
    for (let i = 0; i < this.#o.count; i++) this.#loops.push(this.#run(i));
  }

  /**
   * Resolves once every worker ended after {@linkcode stop} or a configuration error: 0 when each
   * worker's last exit code was 0, the configuration exit code after one, else 1.
   */
  async done(): Promise<number> {
    await Promise.all(this.#loops);
    if (this.#fatal !== undefined) return this.#fatal;
    return this.#lastCodes.every((c) => c === undefined || c === 0) ? 0 : 1;
  }

  /** Sends `signal` to every worker, stops restarting, and resolves as {@linkcode done}. */
  async stop(signal: Deno.Signal = "SIGTERM"): Promise<number> {
    if (!this.#stopping.signal.aborted) {
      this.#signal = signal;
      this.#stopping.abort();
      for (const child of this.#children) _kill(child, signal);
      const timer = setTimeout(() => {
        for (const child of this.#children) _kill(child, "SIGKILL");
      }, this.#o.killAfterMs);
      await Promise.all(this.#loops).finally(() => clearTimeout(timer));
    }
    return await this.done();
  }

  async #run(index: number): Promise<void> {
    let failures = 0;
    while (!this.#stopping.signal.aborted) {
      const started = performance.now();
      const child = new Deno.Command(this.#o.command, {
        args: [...this.#o.args],
        env: this.#o.env(index),
        stdin: "null",
        stdout: "inherit",
        stderr: "inherit",
      }).spawn();
      this.#children[index] = child;
      _log.info("worker started", { worker: index, pid: child.pid });
      // A stop that came while the worker was being spawned.
      if (this.#stopping.signal.aborted) _kill(child, this.#signal);
      const status = await child.status;
      this.#children[index] = undefined;
      this.#lastCodes[index] = status.code;
      const exit = { worker: index, pid: child.pid, code: status.code, signal: status.signal };
      if (this.#stopping.signal.aborted) {
        // Still starting, it had no handler yet: ended by the signal it was sent, as asked.
        if (status.signal === this.#signal) this.#lastCodes[index] = 0;
        _log.info("worker stopped", exit);
        return;
      }
      if (status.code === EXIT_CODES.configuration) {
        _log.error("worker refused its configuration: stopping every worker", exit);
        this.#fatal = EXIT_CODES.configuration;
        void this.stop("SIGTERM");
        return;
      }
      const ranMs = performance.now() - started;
      failures = ranMs >= (this.#o.stableMs ?? 60_000) ? 1 : failures + 1;
      const delayMs = backoffDelay(failures, this.#o.backoff ?? _BACKOFF);
      _log.warn("worker exited: restarting", { ...exit, ranMs: Math.round(ranMs), delayMs });
      await _sleep(delayMs, this.#stopping.signal);
    }
  }
}

const _BACKOFF: BackoffOptions = { minMs: 500, maxMs: 30_000, jitter: 0.2 };

function _kill(child: Deno.ChildProcess | undefined, signal: Deno.Signal): void {
  try {
    child?.kill(signal);
  } catch { /* already gone */ }
}

function _sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
