import { type Actor, type ActorContext, actorKey, type ActorKind } from "./runtime/mod.ts";
import { ACTOR_DEFAULTS } from "./runtime/mod.ts";
import type { HealthReporter } from "../domain/health_reporter.ts";
import { RowRejectedError } from "../domain/row_rejected_error.ts";
import type { ConsumedLocation } from "../domain/consumed_location.ts";
import type { HistoryStore } from "../domain/history_store.ts";
import type { TrackingMetrics } from "../domain/tracking_metrics.ts";
import { SHARED_DEFAULTS } from "../domain/shared_defaults.ts";
import { logger } from "../lib/log.ts";

const _log = logger("history");

/** Messages a HistoryActor accepts. */
export type HistoryMessage =
  /** Records of this actor's partition, in offset order; the reply comes when there is room. */
  | { type: "records"; records: readonly ConsumedLocation[]; replyTo: (value: void) => void }
  /** Flush everything buffered now (shutdown); replies once the buffer is empty. */
  | { type: "drain"; replyTo: (value: void) => void }
  | { type: "flush" };

/** The key of the history kind: one actor per partition of driver-locations. */
export const HISTORY = actorKey<HistoryMessage>("history");

/** Flush and retry settings of the history writer. */
export interface HistoryOptions {
  /** Flush when this many rows are buffered (default 1,000). */
  readonly flushRows: number;
  /** Flush this long after the first row was buffered (default 1,000 ms). */
  readonly flushMs: number;
  /** Above this many buffered rows the consumer is held back (default 5 × flushRows). */
  readonly maxBufferedRows: number;
  /** First retry delay after a failed flush, doubling up to `maxRetryMs`. */
  readonly retryMs: number;
  readonly maxRetryMs: number;
}

/** The defaults: 1,000 rows or 1 s, retries from 100 ms up to 5 s. */
export const DEFAULT_HISTORY_OPTIONS: HistoryOptions = {
  flushRows: SHARED_DEFAULTS.historyFlushRows,
  flushMs: SHARED_DEFAULTS.historyFlushMs,
  maxBufferedRows: 5000,
  retryMs: 100,
  maxRetryMs: 5000,
};

/** What a HistoryActor needs from outside. */
export interface HistoryActorDeps {
  readonly store: Pick<HistoryStore, "insertBatch" | "deadLetter">;
  readonly options?: Partial<HistoryOptions>;
  readonly metrics?: TrackingMetrics;
  readonly onError?: (error: unknown) => void;
  /** Told when flushes fail (component {@linkcode HISTORY_COMPONENT}) and work again. */
  readonly health?: HealthReporter;
  /**
   * Aborted at shutdown: a flush waiting for its retry gives up and the actor stops, failing the
   * consumer's pending `records` (nothing after the unstored rows is committed; they come again).
   */
  readonly stopping?: AbortSignal;
}

/** The component name history flushes report under. */
export const HISTORY_COMPONENT = "history-writer";

/**
 * One actor per partition of driver-locations in the `history-writer` group: buffers fixes,
 * inserts them in batches, and commits the partition's offset only after the rows are stored.
 * A failed insert keeps the rows and fails the `flush`, which the runtime retries with backoff
 * (directive `retry`) before any other message: meanwhile the consumer waits.
 * A batch the database refuses as data is split until the rows at fault are found; those go to
 * the dead letters (counted in `tracking_dead_letters_total`) and the rest is stored.
 */
export class HistoryActor implements Actor<HistoryMessage> {
  #ctx: ActorContext<HistoryMessage>;
  #deps: HistoryActorDeps;
  #options: HistoryOptions;
  #buffer: ConsumedLocation[] = [];
  #waiting: ((value: void) => void)[] = [];
  #timer = false;
  #failures = 0;
  /** When the current run of failed flushes began (the actor clock), if one is under way. */
  #failingSince: number | undefined;
  #failing: Set<string>;

  constructor(
    ctx: ActorContext<HistoryMessage>,
    deps: HistoryActorDeps,
    failing: Set<string> = new Set(),
  ) {
    this.#failing = failing;
    this.#ctx = ctx;
    this.#deps = deps;
    const flushRows = deps.options?.flushRows ?? DEFAULT_HISTORY_OPTIONS.flushRows;
    this.#options = {
      ...DEFAULT_HISTORY_OPTIONS,
      maxBufferedRows: flushRows * 5,
      ...deps.options,
    };
  }

  async receive(message: HistoryMessage): Promise<void> {
    switch (message.type) {
      case "records":
        // Never fails: a retried `records` would buffer its rows twice. A full buffer is
        // flushed by a `flush` ahead of the next message, the one that fails and is retried.
        this.#buffer.push(...message.records);
        this.#waiting.push(message.replyTo);
        if (this.#buffer.length >= this.#options.flushRows) this.#ctx.signal({ type: "flush" });
        else this.#arm(this.#options.flushMs);
        return this.#release();
      case "flush":
        this.#timer = false;
        await this.#flush();
        return this.#release();
      case "drain":
        // One attempt at shutdown: what is not stored comes again to whoever reads next.
        await this.#flush().catch(() => {});
        this.#release();
        return message.replyTo();
    }
  }

  /** Inserts what is buffered, in chunks of flushRows, committing after each; throws on failure. */
  async #flush(): Promise<void> {
    while (this.#buffer.length > 0) {
      const chunk = this.#buffer.slice(0, Math.max(this.#options.flushRows, 1));
      const started = performance.now();
      try {
        await this.#store(chunk);
      } catch (error) {
        this.#deps.metrics?.flushFailures.inc();
        this.#deps.onError?.(error);
        // The first failure of a run at warn; its retries at debug; the recovery at info.
        _log[this.#failures === 0 ? "warn" : "debug"]("history flush failed", {
          partition: Number(this.#ctx.id),
          rows: chunk.length,
          attempt: this.#failures + 1,
          error,
        });
        this.#failingSince ??= this.#ctx.clock.now();
        this.#failures++;
        this.#setFailing(true, error);
        throw error;
      }
      this.#setFailing(false);
      if (this.#failingSince !== undefined) {
        _log.info("history flush recovered", {
          partition: Number(this.#ctx.id),
          failedAttempts: this.#failures,
          downMs: Math.round(this.#ctx.clock.now() - this.#failingSince),
        });
        this.#failingSince = undefined;
      }
      this.#failures = 0;
      this.#deps.metrics?.flushRows.observe(chunk.length);
      this.#deps.metrics?.flushSeconds.observe((performance.now() - started) / 1000);
      this.#buffer.splice(0, chunk.length);
      try {
        await chunk.at(-1)!.commit();
      } catch (error) {
        // The rows are stored; a lost commit only means they may be delivered (and ignored) again.
        this.#deps.onError?.(error);
        _log.debug("history commit failed", { partition: Number(this.#ctx.id), error });
      }
    }
    if (this.#timer) {
      this.#timer = false;
      this.#ctx.timers.cancel("flush");
    }
  }

  /** Inserts `chunk`; rows refused as data are found by halving and set aside. */
  async #store(chunk: readonly ConsumedLocation[]): Promise<void> {
    try {
      await this.#deps.store.insertBatch(chunk.map((c) => c.record));
    } catch (error) {
      if (!(error instanceof RowRejectedError)) throw error;
      if (chunk.length > 1) {
        const half = Math.ceil(chunk.length / 2);
        await this.#store(chunk.slice(0, half));
        return await this.#store(chunk.slice(half));
      }
      const { record, topic, partition, offset } = chunk[0]!;
      await this.#deps.store.deadLetter([
        { topic, partition, offset, payload: JSON.stringify(record), error: error.message },
      ]);
      this.#deps.metrics?.deadLetters.inc({ topic });
      // One line per row at debug only: the service logs a summary per minute at warn.
      _log.debug("history row set aside", { topic, partition, offset, reason: error.message });
      this.#deps.onError?.(
        new Error(`history: ${topic}/${partition}@${offset} set aside: ${error.message}`),
      );
    }
  }

  /** Health is down while any partition's flushes fail. */
  #setFailing(failing: boolean, error?: unknown): void {
    const health = this.#deps.health;
    if (failing) {
      this.#failing.add(this.#ctx.id);
      health?.down(HISTORY_COMPONENT, error);
    } else if (this.#failing.delete(this.#ctx.id) && this.#failing.size === 0) {
      health?.up(HISTORY_COMPONENT);
    }
  }

  #arm(ms: number): void {
    if (this.#timer) return;
    this.#timer = true;
    this.#ctx.timers.once("flush", ms, { type: "flush" });
  }

  /** Lets the consumer go on while the buffer has room. */
  #release(): void {
    if (this.#buffer.length >= this.#options.maxBufferedRows) return;
    for (const reply of this.#waiting.splice(0)) reply();
  }
}

/**
 * Registers HistoryActor; its messages come by `ask`, so its mailbox never overflows. A failed
 * flush is retried from `retryMs`, doubling up to `maxRetryMs`, for as long as it fails, or until
 * `stopping` aborts.
 */
export function historyActorKind(deps: HistoryActorDeps): ActorKind<HistoryMessage> {
  const failing = new Set<string>();
  const { retryMs, maxRetryMs } = { ...DEFAULT_HISTORY_OPTIONS, ...deps.options };
  deps.health?.up(HISTORY_COMPONENT);
  return {
    create: (_id, ctx) => new HistoryActor(ctx, deps, failing),
    mailbox: { capacity: 1024, overflow: "reject" },
    supervision: {
      ...ACTOR_DEFAULTS.supervision,
      backoffMs: retryMs,
      maxBackoffMs: maxRetryMs,
      decide: () => "retry",
      ...(deps.stopping && { cancelRetry: deps.stopping }),
    },
  };
}
