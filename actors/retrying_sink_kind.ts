import { type Actor, ACTOR_DEFAULTS, type ActorContext, type ActorKind } from "./runtime/mod.ts";

/** What {@linkcode retryingSinkKind} reads from a sink's dependencies. */
export interface RetryingSinkOptions {
  /** First retry delay of a failed batch, doubling up to 5 s (default 100 ms). */
  readonly retryMs?: number;
  /** Aborted at shutdown: a batch waiting for its retry gives up (it is redelivered later). */
  readonly stopping?: AbortSignal;
}

/**
 * The kind of a per-partition sink of a consumer group (the notifier, the zone judge): the
 * consumer waits for each reply, so the mailbox stays small; every failure is retried (from
 * `retryMs`, doubling up to 5 s) until `stopping` aborts; then the batch fails, the consumer lets
 * its partitions go, and the records come again to whoever reads them.
 */
export function retryingSinkKind<M>(
  create: (ctx: ActorContext<M>) => Actor<M>,
  options: RetryingSinkOptions,
): ActorKind<M> {
  return {
    create: (_id, ctx) => create(ctx),
    mailbox: { capacity: 100, overflow: "reject" },
    supervision: {
      ...ACTOR_DEFAULTS.supervision,
      backoffMs: options.retryMs ?? 100,
      maxBackoffMs: 5_000,
      decide: () => "retry",
      ...(options.stopping && { cancelRetry: options.stopping }),
    },
  };
}
