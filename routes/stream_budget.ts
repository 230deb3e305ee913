import { apiError } from "./api_error.ts";
import type { Principal } from "./auth.ts";
import type { CursorStreamOptions } from "./cursor_stream.ts";
import { STREAM_LIMITS } from "../domain/stream_limits.ts";
import type { Metrics } from "../infra/metrics.ts";

/** Options of {@linkcode StreamBudget}; defaults in `STREAM_LIMITS` (`domain/stream_limits.ts`). */
export interface StreamBudgetOptions {
  /** Streams open at once on this instance (`MAX_STREAMS`). @default {4} */
  readonly max?: number;
  /** Streams one principal (role + sub) may have open at once. @default {2} */
  readonly maxPerPrincipal?: number;
  /** A stream whose reader takes nothing this long is ended, ms. @default {10_000} */
  readonly stallMs?: number;
  /** No stream lasts longer, ms. @default {600_000} */
  readonly maxMs?: number;
  /** Counts refusals in `tracking_limit_refusals_total{reason="too_many_streams"}`. */
  readonly metrics?: Pick<Metrics, "limitRefusals"> | undefined;
}

/** A place in the budget: give it back once, when the stream is over. */
export interface StreamLease {
  release(): void;
}

/**
 * How many cursor-backed streams (`?stream=ndjson`) are open, per principal and in all, and how
 * long each may stall or last. Each stream holds a database connection of the streams' own pool
 * for as long as it is open, so `max` is that pool's size: a stream admitted never waits for a
 * connection, and streams never take the main pool's (orders, history pages, readiness).
 */
export class StreamBudget {
  readonly #max: number;
  readonly #maxPerPrincipal: number;
  readonly #options: StreamBudgetOptions;
  readonly #open = new Map<string, number>();
  #size = 0;

  constructor(options: StreamBudgetOptions = {}) {
    this.#max = _positive("max", options.max ?? STREAM_LIMITS.maxStreams);
    this.#maxPerPrincipal = _positive(
      "maxPerPrincipal",
      options.maxPerPrincipal ?? STREAM_LIMITS.maxPerPrincipal,
    );
    this.#options = options;
  }

  /** Streams open now, in all or of one principal. */
  size(principal?: Pick<Principal, "role" | "sub">): number {
    return principal === undefined ? this.#size : this.#open.get(_key(principal)) ?? 0;
  }

  /**
   * Takes a place for a stream of `principal`, or throws a 429 `too_many_streams` API error
   * with `Retry-After` when the principal, or the instance, is at its limit.
   */
  admit(principal: Pick<Principal, "role" | "sub">): StreamLease {
    const key = _key(principal);
    const mine = this.#open.get(key) ?? 0;
    const refusal = mine >= this.#maxPerPrincipal
      ? `at most ${this.#maxPerPrincipal} streams at once per ${principal.role}`
      : this.#size >= this.#max
      ? `the server serves ${this.#max} streams at once; try again later`
      : undefined;
    if (refusal !== undefined) {
      this.#options.metrics?.limitRefusals.inc({ reason: "too_many_streams" });
      throw apiError(429, "too_many_streams", refusal, {
        headers: { "Retry-After": String(STREAM_LIMITS.retryAfterS) },
      });
    }
    this.#open.set(key, mine + 1);
    this.#size++;
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.#size--;
        const left = (this.#open.get(key) ?? 1) - 1;
        if (left === 0) this.#open.delete(key);
        else this.#open.set(key, left);
      },
    };
  }

  /**
   * Admits a stream of `principal` ({@linkcode admit}), opens its cursor with `open` and makes
   * its body with `body`, ended when stalled or too long; the place is given back once the body
   * is over and its cursor closed. A refused stream never opens a cursor.
   */
  stream<T>(
    principal: Pick<Principal, "role" | "sub">,
    open: () => AsyncIterator<readonly T[]>,
    body: (
      batches: AsyncIterator<readonly T[]>,
      options: CursorStreamOptions,
    ) => ReadableStream<Uint8Array>,
  ): ReadableStream<Uint8Array> {
    const lease = this.admit(principal);
    try {
      return body(open(), {
        stallMs: this.#options.stallMs ?? STREAM_LIMITS.stallMs,
        maxMs: this.#options.maxMs ?? STREAM_LIMITS.maxMs,
        onClose: () => lease.release(),
      });
    } catch (error) {
      lease.release();
      throw error;
    }
  }
}

function _key(principal: Pick<Principal, "role" | "sub">): string {
  return `${principal.role}:${principal.sub}`;
}

function _positive(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }
  return value;
}
