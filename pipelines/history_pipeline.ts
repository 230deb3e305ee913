import type { ActorSystem } from "../actors/runtime/mod.ts";
import { HISTORY, historyActorKind } from "../actors/history_actor.ts";
import type { Supervise } from "../actors/stream_actor.ts";
import type { HealthReporter } from "../domain/health_reporter.ts";
import type { Config } from "../infra/config.ts";
import type { Metrics } from "../infra/metrics.ts";
import type { KafkaConnection } from "../infra/kafka/kafka_connection.ts";
import { LocationConsumer } from "../infra/kafka/location_consumer.ts";
import { FETCH_WAITS } from "../infra/kafka/fetch_wait.ts";
import type { UndecodableRecord } from "../infra/kafka/decode_locations.ts";
import { jointCommit } from "../infra/kafka/joint_commit.ts";
import type { ConsumedLocation } from "../domain/consumed_location.ts";
import type { HistoryStore } from "../domain/history_store.ts";
import type { Step } from "../lib/deadline_steps.ts";

/** What the history pipeline needs. */
export interface HistoryPipelineDeps {
  readonly config: Config;
  readonly kafka: KafkaConnection;
  readonly system: ActorSystem;
  readonly store: HistoryStore;
  readonly metrics: Metrics;
  readonly health: HealthReporter;
  readonly supervise: Supervise;
  /** Aborted as shutdown begins: a flush being retried gives up (see `HistoryActorDeps`). */
  readonly stopping?: AbortSignal;
  /**
   * Handed each partition's batch too, one after the other, while the history actor stores it:
   * the location judges (notifier, zone judge), so driver-locations is read and decoded once for
   * all of them. A batch's offset is committed once history and every judge are done with it.
   */
  readonly judges?: readonly LocationJudge[];
}

/** A party that reads driver-locations with the history writer: see `HistoryPipelineDeps.judges`. */
export type LocationJudge = (partition: number, records: ConsumedLocation[]) => Promise<void>;

/** The history pipeline, started. */
export interface HistoryPipeline {
  /** Stops reading and waits until history and the judges have what was read (nothing committed). */
  pause(): Promise<void>;
  /** Stops reading, flushes and commits what was read, then leaves the group. */
  drain(step: Step): Promise<void>;
}

/**
 * driver-locations → consumer group `HISTORY_GROUP` (supervised), the regional consumer → per
 * partition, one HistoryActor → PostgreSQL and, at the same time, the judges in turn; offsets
 * committed after the rows are stored and the judges are done ({@linkcode jointCommit}). Records
 * that do not decode go to the dead letters at once, rows PostgreSQL refuses as data after the
 * actor has found them. A judge that fails fails the consumer: it is rebuilt and the batch comes
 * again to all, which each store idempotently (history rows and notifications are unique).
 *
 * The judges were a consumer group of their own, reading and decoding every fix again
 * (docs/performance.md, "One regional consumer"). The judges go one after the other, not at once:
 * see `pipelines/location_judges.ts`.
 */
export function startHistoryPipeline(deps: HistoryPipelineDeps): HistoryPipeline {
  const { config, system, store, metrics, judges = [] } = deps;
  system.register(
    HISTORY,
    historyActorKind({
      store,
      metrics,
      options: { flushRows: config.HISTORY_FLUSH_ROWS, flushMs: config.HISTORY_FLUSH_MS },
      health: deps.health,
      ...(deps.stopping && { stopping: deps.stopping }),
    }),
  );
  const partitions = new Set<number>();
  const setAside = async (records: UndecodableRecord[]) => {
    await store.deadLetter(records.map((r) => ({ ...r, payload: r.value })));
    metrics.deadLetters.inc({ topic: config.LOCATIONS_TOPIC }, records.length);
  };
  const consumer = deps.supervise("history-consumer", (failed) =>
    LocationConsumer.start({
      kafka: deps.kafka,
      topic: config.LOCATIONS_TOPIC,
      groupId: config.HISTORY_GROUP,
      mode: "committed",
      fetchWait: FETCH_WAITS.gathered,
      metrics,
      onFailure: failed,
      onUndecodable: setAside,
      onRecords: async (partition, records) => {
        partitions.add(partition);
        const [own, ...others] = judges.length > 0
          ? jointCommit(records, 1 + judges.length)
          : [records];
        // The consumer waits as long as the actor holds it back: that is the backpressure.
        const stored = system.ref(HISTORY, String(partition))
          .ask<void>((replyTo) => ({ type: "records", records: own!, replyTo }), {
            timeoutMs: Infinity,
          });
        const judged = _inTurn(judges, partition, others);
        await Promise.all([stored, judged]);
      },
    }));
  return {
    pause: () => consumer.pause(),
    drain: async (step) => {
      await step("history consumer pause", () => consumer.pause());
      await step(
        "history drain",
        () =>
          Promise.all([...partitions].map((p) =>
            system.ref(HISTORY, String(p))
              .ask<void>((replyTo) => ({ type: "drain", replyTo }), { timeoutMs: Infinity })
          )),
      );
      await step("history consumer close", () => consumer.close());
    },
  };
}

/** Each judge its view of the batch, one after the other. */
async function _inTurn(
  judges: readonly LocationJudge[],
  partition: number,
  views: ConsumedLocation[][],
): Promise<void> {
  for (const [i, judge] of judges.entries()) await judge(partition, views[i]!);
}
