import { backoffDelay } from "../../lib/retry.ts";
import type { Clock } from "./clock.ts";
import type { ResolvedKind } from "./resolve_kind.ts";
import type { Directive } from "./supervision.ts";

/**
 * A cell's supervision: the directive for each failure, and the delays. Restarts are counted in
 * a sliding window: `backoffMs`, doubling with each failure in the window, capped at
 * `maxBackoffMs`; `undefined` once more than `maxRestarts` fall in the window. Retries of one
 * message wait `backoffMs`, doubling per attempt, capped the same way. Internal.
 */
export class Supervisor {
  #options: ResolvedKind<unknown>["supervision"];
  #failures: number[] = [];

  /** Starts with no failures recorded. */
  constructor(options: ResolvedKind<unknown>["supervision"]) {
    this.#options = options;
  }

  /**
   * The kind's directive for `error`, made possible: without an instance (`create` or `onStart`
   * failed) only `stop` and `restart` exist, and `retry` becomes `stop` when not `retryable`.
   * A decider that throws is reported and counts as `restart`.
   */
  decide(
    error: unknown,
    context: { instance: boolean; retryable: boolean; report: (error: unknown) => void },
  ): Directive {
    let directive: Directive;
    try {
      directive = this.#options.decide(error);
    } catch (decideError) {
      context.report(decideError);
      directive = "restart";
    }
    if (!context.instance && directive !== "stop") return "restart";
    const retryable = context.retryable && !this.#options.cancelRetry?.aborted;
    return directive === "retry" && !retryable ? "stop" : directive;
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

  /**
   * Calls `due` after the delay before retry number `attempt` (1 for the first) of one message,
   * or `cancelled` as soon as the kind's `cancelRetry` aborts; returns what cancels both.
   */
  scheduleRetry(
    clock: Clock,
    attempt: number,
    on: { due: () => void; cancelled: () => void },
  ): () => void {
    const { backoffMs, maxBackoffMs, cancelRetry } = this.#options;
    const delay = backoffDelay(attempt, { minMs: backoffMs, maxMs: maxBackoffMs });
    const onAbort = () => {
      clock.clearTimeout(timer);
      on.cancelled();
    };
    const timer = clock.setTimeout(() => {
      cancelRetry?.removeEventListener("abort", onAbort);
      on.due();
    }, delay);
    cancelRetry?.addEventListener("abort", onAbort, { once: true });
    return () => {
      clock.clearTimeout(timer);
      cancelRetry?.removeEventListener("abort", onAbort);
    };
  }

  /** Forgets all failures. */
  reset(): void {
    this.#failures = [];
  }
}
