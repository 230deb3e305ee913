/** How delays grow between attempts; shared by every retry and restart in the service. */
export interface BackoffOptions {
  /**
   * Delay before the second attempt, ms.
   * @default {100}
   */
  readonly minMs?: number;
  /**
   * The longest delay, ms.
   * @default {5000}
   */
  readonly maxMs?: number;
  /**
   * Each delay is the previous one times this.
   * @default {2}
   */
  readonly multiplier?: number;
  /**
   * Share of each delay drawn at random (0 to 1), so many clients that failed together do not
   * retry together.
   * @default {0}
   */
  readonly jitter?: number;
}

/** The defaults of {@linkcode BackoffOptions}. */
export const BACKOFF_DEFAULTS: Required<BackoffOptions> = {
  minMs: 100,
  maxMs: 5_000,
  multiplier: 2,
  jitter: 0,
};

/**
 * The delay after failed attempt number `attempt` (1 for the first failure): `minMs` times
 * `multiplier` to the power `attempt - 1`, capped at `maxMs`, less a random share of up to
 * `jitter` of it.
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions = {},
  random: () => number = Math.random,
): number {
  if (!Number.isInteger(attempt) || attempt < 1) {
    throw new RangeError(`attempt must be a positive integer, got ${attempt}`);
  }
  const { minMs, maxMs, multiplier, jitter } = { ...BACKOFF_DEFAULTS, ...options };
  const base = Math.min(minMs * multiplier ** (attempt - 1), maxMs);
  return Math.round(base * (1 - jitter * random()));
}

/** Options of {@linkcode retry}. */
export interface RetryOptions extends BackoffOptions {
  /**
   * Attempts in all, the first included.
   * @default {Infinity}
   */
  readonly maxAttempts?: number;
  /**
   * Whether an error is worth another attempt; one that is not is thrown at once.
   * @default {() => true}
   */
  readonly isRetryable?: (error: unknown) => boolean;
  /** Told of each failure that will be retried, with the delay before the next attempt. */
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
  /** Stops retrying: the wait in progress ends and the signal's reason is thrown. */
  readonly signal?: AbortSignal;
  /**
   * Waits `ms` (a virtual clock's timer in tests).
   * @default {setTimeout}
   */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Thrown by {@linkcode retry} when `maxAttempts` attempts failed; `cause` is the last error. */
export class RetryError extends Error {
  /** How many attempts were made. */
  readonly attempts: number;

  /** Wraps the last error of `attempts` failed attempts. */
  constructor(cause: unknown, attempts: number) {
    super(`gave up after ${attempts} attempts: ${(cause as Error)?.message ?? cause}`, { cause });
    this.name = "RetryError";
    this.attempts = attempts;
  }
}

/**
 * Calls `fn` until it resolves, waiting {@linkcode backoffDelay} between attempts. Rejects with
 * {@linkcode RetryError} after `maxAttempts`, with the error itself when `isRetryable` says no,
 * and with the signal's reason once `signal` aborts.
 */
export async function retry<T>(
  fn: (attempt: number) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const maxAttempts = options.maxAttempts ?? Infinity;
  const sleep = options.sleep ?? _sleep;
  for (let attempt = 1;; attempt++) {
    options.signal?.throwIfAborted();
    try {
      return await fn(attempt);
    } catch (error) {
      options.signal?.throwIfAborted();
      if (options.isRetryable && !options.isRetryable(error)) throw error;
      if (attempt >= maxAttempts) throw new RetryError(error, attempt);
      const delay = backoffDelay(attempt, options);
      options.onRetry?.(error, attempt, delay);
      await sleep(delay, options.signal);
    }
  }
}

function _sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
