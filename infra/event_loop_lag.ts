/** Options for {@linkcode watchEventLoopLag}. */
export interface EventLoopLagOptions {
  /** Told each sample's lag, in seconds (0 when the timer fired on time). */
  readonly observe: (lagSeconds: number) => void;
  /** How often to sample, ms (default {@linkcode EVENT_LOOP_LAG_INTERVAL_MS}). */
  readonly intervalMs?: number;
}

/** The sampling interval, ms: 50 cheap timer turns a second. */
export const EVENT_LOOP_LAG_INTERVAL_MS = 20;

/** A running lag watch. */
export interface EventLoopLagWatch {
  /** Stops sampling (idempotent). */
  stop(): void;
}

/**
 * Measures how late the process's one JavaScript thread runs a timer: a timer due every
 * `intervalMs` notes how long after its due time it ran. That is how long everything else that
 * became ready meanwhile (a socket frame, a Kafka answer, an ack to write) waited too: a long
 * turn, a garbage collection, or a thread the machine did not schedule. Deno 2.9's
 * `node:perf_hooks` `monitorEventLoopDelay` reads nothing (docs/performance.md), so this is a timer
 * of its own. The timer does not keep the process alive.
 */
export function watchEventLoopLag(options: EventLoopLagOptions): EventLoopLagWatch {
  const intervalMs = options.intervalMs ?? EVENT_LOOP_LAG_INTERVAL_MS;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let due = 0;
  let stopped = false;
  const arm = () => {
    due = performance.now() + intervalMs;
    const next = setTimeout(fire, intervalMs);
    Deno.unrefTimer(next);
    timer = next;
  };
  const fire = () => {
    options.observe(Math.max(0, performance.now() - due) / 1000);
    if (!stopped) arm();
  };
  arm();
  return {
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
