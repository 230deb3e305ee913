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
  /** The counter's label the rise is broken down by; the line's field is `by<Label>`. @default {"reason"} */
  readonly label?: string;
  /** The line's message. @default {"frames rejected"} */
  readonly message?: string;
  /** The line's level. @default {"info"} */
  readonly level?: "info" | "warn";
}

/**
 * The options that sum up `tracking_dead_letters_total`: one warn line per interval with the
 * rows set aside by topic, instead of one line per row (a driver sending fixes the history could
 * not keep once made 9,902 lines in 10 s).
 */
export const DEAD_LETTER_SUMMARY: RejectedFramesSummaryOptions = {
  log: logger("history"),
  label: "topic",
  message: "history rows set aside (see the dead_letters table)",
  level: "warn",
};

/**
 * Once per interval, when frames were rejected since the last one, logs one `frames rejected`
 * line: `total` and `byReason` (the rise of `tracking_fixes_rejected_total` per reason over
 * the interval), with `intervalMs`. A quiet interval logs nothing. Any counter can be summed up
 * this way (`label`, `message`, `level`): the dead letters are, by topic.
 */
export class RejectedFramesSummary {
  #counter: Counter<string>;
  #log: Logger;
  #intervalMs: number;
  #label: string;
  #field: string;
  #message: string;
  #level: "info" | "warn";
  #timers: IntervalTimers;
  #last = new Map<string, number>();
  #timer: unknown;
  #running: Promise<void> = Promise.resolve();

  constructor(counter: Counter<string>, options: RejectedFramesSummaryOptions = {}) {
    this.#counter = counter;
    this.#label = options.label ?? "reason";
    this.#field = `by${this.#label[0]!.toUpperCase()}${this.#label.slice(1)}`;
    this.#message = options.message ?? "frames rejected";
    this.#level = options.level ?? "info";
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
    const rise = await this.#delta();
    const total = Object.values(rise).reduce((a, b) => a + b, 0);
    if (total > 0) {
      this.#log[this.#level](this.#message, {
        total,
        [this.#field]: rise,
        intervalMs: this.#intervalMs,
      });
    }
  }

  async #delta(): Promise<Record<string, number>> {
    const { values } = await this.#counter.get();
    const out: Record<string, number> = {};
    for (const { labels, value } of values) {
      const key = String(labels[this.#label] ?? "unknown");
      const rise = value - (this.#last.get(key) ?? 0);
      this.#last.set(key, value);
      if (rise > 0) out[key] = rise;
    }
    return out;
  }
}
