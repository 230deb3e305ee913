import type { Counter } from "prom-client";
import { type Logger, logger } from "../lib/log.ts";

/** Timers the summary runs on (the global ones by default; a fake clock in tests). */
export interface IntervalTimers {
  setInterval(run: () => void, ms: number): unknown;
  clearInterval(id: ReturnType<IntervalTimers["setInterval"]>): void;
}

/** Options for {@linkcode RejectedFramesSummary}. */
export interface RejectedFramesSummaryOptions {
  /** @default {logger("drivers")} */
  readonly log?: Logger;
  /** How often a summary is due, ms. @default {60000} */
  readonly intervalMs?: number;
  /** @default {globalThis} */
  readonly timers?: IntervalTimers;
}

/**
 * Once per interval, when frames were rejected since the last one, logs one `frames rejected`
 * line: `total` and `byReason` (the rise of `tracking_fixes_rejected_total` per reason over
 * the interval), with `intervalMs`. A quiet interval logs nothing.
 */
export class RejectedFramesSummary {
  #counter: Counter<"reason">;
  #log: Logger;
  #intervalMs: number;
  #timers: IntervalTimers;
  #last = new Map<string, number>();
  #timer: unknown;
  #running: Promise<void> = Promise.resolve();

  constructor(counter: Counter<"reason">, options: RejectedFramesSummaryOptions = {}) {
    this.#counter = counter;
    this.#log = options.log ?? logger("drivers");
    this.#intervalMs = options.intervalMs ?? 60_000;
    this.#timers = options.timers ??
      { setInterval, clearInterval: (id) => clearInterval(id as number) };
  }

  /** Takes the starting values and logs a summary every interval until `stop`. */
  async start(): Promise<void> {
    await this.#delta();
    this.#timer = this.#timers.setInterval(() => {
      this.#running = this.summarise().catch((error) =>
        this.#log.warn("summary failed", { error })
      );
    }, this.#intervalMs);
  }

  /** Stops the timer and waits for a summary under way. */
  async stop(): Promise<void> {
    if (this.#timer !== undefined) this.#timers.clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  /** Logs what was rejected since the last call (or `start`), if anything. */
  async summarise(): Promise<void> {
    const byReason = await this.#delta();
    const total = Object.values(byReason).reduce((a, b) => a + b, 0);
    if (total > 0) {
      this.#log.info("frames rejected", { total, byReason, intervalMs: this.#intervalMs });
    }
  }

  async #delta(): Promise<Record<string, number>> {
    const { values } = await this.#counter.get();
    const out: Record<string, number> = {};
    for (const { labels, value } of values) {
      const reason = String(labels.reason ?? "unknown");
      const rise = value - (this.#last.get(reason) ?? 0);
      this.#last.set(reason, value);
      if (rise > 0) out[reason] = rise;
    }
    return out;
  }
}
