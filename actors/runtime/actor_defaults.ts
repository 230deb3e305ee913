import { logger } from "../../lib/log.ts";

/** Defaults of the actor runtime; a kind overrides them in its `ActorKind`. */
export const ACTOR_DEFAULTS = {
  /** Mailbox of a kind that sets none. */
  mailbox: { capacity: 1000, overflow: "reject" },
  /** Messages per turn before yielding to the event loop. */
  throughput: 100,
  /** Timeout of `ask` when none is given. */
  askTimeoutMs: 5000,
  /** Restart policy of a kind that sets none. */
  supervision: { maxRestarts: 5, windowMs: 60_000, backoffMs: 100, maxBackoffMs: 30_000 },
  /** Failure reporter of a system that sets none. */
  onError(kind: string, id: string, error: unknown): void {
    logger("actors").error("actor failed", { kind, id, error });
  },
} as const;
