import { backoffDelay } from "../../lib/retry.ts";
import type { SupervisionOptions } from "./types.ts";

/**
 * Counts failures in a sliding window and answers how long to wait before a restart:
 * `backoffMs`, doubling with each failure in the window, capped at `maxBackoffMs`;
 * `undefined` once more than `maxRestarts` failures fall in the window. Internal.
 */
export class RestartBackoff {
  #options: SupervisionOptions;
  #failures: number[] = [];

  /** Starts with no failures recorded. */
  constructor(options: SupervisionOptions) {
    this.#options = options;
  }

  /** Records a failure at `now`; returns the restart delay, or `undefined` to give up. */
  next(now: number): number | undefined {
    const { maxRestarts, windowMs, backoffMs, maxBackoffMs } = this.#options;
    this.#failures = this.#failures.filter((at) => now - at < windowMs);
    this.#failures.push(now);
    const count = this.#failures.length;
    if (count > maxRestarts) return undefined;
    return backoffDelay(count, { minMs: backoffMs, maxMs: maxBackoffMs });
  }

  /** Forgets all failures. */
  reset(): void {
    this.#failures = [];
  }
}
