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
}

/** The history pipeline, started. */
export interface HistoryPipeline {
  /** Stops reading, flushes and commits what was read, then leaves the group. */
  drain(step: Step): Promise<void>;
}

/**
 * driver-locations → consumer group `HISTORY_GROUP` (supervised) → one HistoryActor per
 * partition → PostgreSQL, offsets committed after the rows are stored; records that do not decode
 * go to the dead letters at once, rows PostgreSQL refuses as data after the actor has found them.
 */
export function startHistoryPipeline(deps: HistoryPipelineDeps): HistoryPipeline {
  const { config, system, store, metrics } = deps;
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
        // The consumer waits as long as the actor holds it back: that is the backpressure.
        await system.ref(HISTORY, String(partition))
          .ask<void>((replyTo) => ({ type: "records", records, replyTo }), {
            timeoutMs: Infinity,
          });
      },
    }));
  return {
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
