import { type Actor, type ActorContext, actorKey, type ActorKind } from "./runtime/mod.ts";
import type { Retention, RetentionReport } from "../domain/retention.ts";
import type { RetentionRoundMetrics } from "../domain/tracking_metrics.ts";
import { logger } from "../lib/log.ts";

const _log = logger("storage");

/** Messages a RetentionActor accepts. */
export type RetentionMessage =
  /** Runs a round now; `replyTo` (if any) gets its report once a round has run. */
  { type: "run"; replyTo?: (report: RetentionReport | undefined) => void };

/** The address of the retention actor kind. */
export const RETENTION = actorKey<RetentionMessage>("retention");

/** Schedule of the retention rounds. */
export interface RetentionSchedule {
  /** Time between rounds, ms (default one hour). */
  readonly intervalMs: number;
  /** Time before a failed round is tried again, ms (default one minute), by the runtime. */
  readonly retryMs: number;
}

/** The defaults: a round every hour, one minute after a failure. */
export const DEFAULT_RETENTION_SCHEDULE: RetentionSchedule = {
  intervalMs: 3_600_000,
  retryMs: 60_000,
};

/** What a RetentionActor needs from outside. */
export interface RetentionActorDeps {
  readonly retention: Retention;
  readonly schedule?: Partial<RetentionSchedule>;
  readonly metrics?: RetentionRoundMetrics;
}

/**
 * The one actor (id `"storage"`) that keeps storage within its bounds: as it starts and then
 * every `intervalMs` it runs a {@linkcode Retention} round (history partitions made ahead and
 * dropped past retention, old finished orders and old dead letters deleted), dated by the actor clock. A failed round
 * is logged and counted, and fails its `receive`: the runtime tries the same message again after
 * `retryMs` (directive `retry`), ahead of anything queued; the actor keeps its hourly timer.
 * Rounds of several instances exclude each other in the database (one does the work, the others
 * skip).
 */
export class RetentionActor implements Actor<RetentionMessage> {
  #ctx: ActorContext<RetentionMessage>;
  #deps: RetentionActorDeps;
  #schedule: RetentionSchedule;

  constructor(ctx: ActorContext<RetentionMessage>, deps: RetentionActorDeps) {
    this.#ctx = ctx;
    this.#deps = deps;
    this.#schedule = { ...DEFAULT_RETENTION_SCHEDULE, ...deps.schedule };
  }

  onStart(): void {
    this.#ctx.timers.every("round", this.#schedule.intervalMs, { type: "run" });
  }

  async receive(message: RetentionMessage): Promise<void> {
    const { metrics } = this.#deps;
    let report: RetentionReport | undefined;
    try {
      report = await this.#deps.retention.run(this.#ctx.clock.now());
    } catch (error) {
      metrics?.runs.inc({ result: "failed" });
      _log.warn("retention round failed", { retryMs: this.#schedule.retryMs, error });
      throw error;
    }
    metrics?.runs.inc({ result: report.ran ? "done" : "skipped" });
    if (report.ran && metrics) {
      metrics.partitionsCreated.inc({ reason: "ahead" }, report.created.length);
      metrics.partitionsDropped.inc(report.dropped.length);
      metrics.partitions.set(report.partitions);
      metrics.rowsDeleted.inc({ table: "orders" }, report.ordersDeleted);
      metrics.rowsDeleted.inc({ table: "notifications" }, report.notificationsDeleted);
      metrics.rowsDeleted.inc({ table: "dead_letters" }, report.deadLettersDeleted);
    }
    message.replyTo?.(report);
  }
}

/**
 * Registers RetentionActor: never passivated; a failed round is retried by the runtime every
 * `retryMs` until one runs (given up at shutdown).
 */
export function retentionActorKind(deps: RetentionActorDeps): ActorKind<RetentionMessage> {
  const { retryMs } = { ...DEFAULT_RETENTION_SCHEDULE, ...deps.schedule };
  return {
    create: (_id, ctx) => new RetentionActor(ctx, deps),
    mailbox: { capacity: 16, overflow: "reject" },
    supervision: {
      maxRestarts: Infinity,
      windowMs: 60_000,
      backoffMs: retryMs,
      maxBackoffMs: retryMs,
      decide: () => "retry",
    },
  };
}
