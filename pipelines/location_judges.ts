import { NOTIFIER } from "../actors/notifier_actor.ts";
import { ZONE_JUDGE } from "../actors/zone_judge_actor.ts";
import type { Config } from "../infra/config.ts";
import { jointCommit } from "../infra/kafka/joint_commit.ts";
import { LocationConsumer } from "../infra/kafka/location_consumer.ts";
import { FETCH_WAITS } from "../infra/kafka/fetch_wait.ts";
import type { Core } from "./core.ts";
import type { Infrastructure } from "./infrastructure.ts";

/** Who judges each batch, in this order. */
const _JUDGES = [NOTIFIER, ZONE_JUDGE] as const;

/** The judges' consumer, started. */
export interface LocationJudges {
  /** Leaves the group; what the judges were handed is finished or read again later. */
  close(): Promise<void>;
}

/**
 * driver-locations → consumer group `NOTIFIER_GROUP` (shared by all instances) → per partition,
 * NotifierActor, then ZoneJudgeActor, with the same batch: one read and one decode of every fix for
 * both judges (they were two groups, each fetching and decoding every fix: docs/performance.md).
 * A batch's offset is committed once both are done with it ({@linkcode jointCommit}): a judge that
 * fails gets the batch again with the rebuilt consumer, and the other judges it again harmlessly
 * (each stores what it decided idempotently). Both actor kinds must be registered first.
 *
 * One after the other, not at once: two judges querying at once can make postgres.js open a second
 * connection, and in postgres.js 3.4.9 a connection whose start-up (`fetch_types`) meets a
 * PostgreSQL outage rejects a promise nobody holds (porsager/postgres#1192): the process crashed
 * in `tests/fault_shutdown_test.ts`, about one run in six, while the judges ran at once.
 */
export function startLocationJudges(
  config: Config,
  core: Core,
  infra: Infrastructure,
): LocationJudges {
  const { system } = core;
  return core.supervise("location-judges-consumer", (failed) =>
    LocationConsumer.start({
      kafka: infra.kafka,
      topic: config.LOCATIONS_TOPIC,
      groupId: config.NOTIFIER_GROUP,
      mode: "committed",
      fetchWait: FETCH_WAITS.gathered,
      metrics: core.metrics,
      onFailure: failed,
      onRecords: async (partition, records) => {
        const views = jointCommit(records, _JUDGES.length);
        for (const [i, judge] of _JUDGES.entries()) {
          await system.ref(judge, String(partition))
            .ask<void>((replyTo) => ({ type: "records", records: views[i]!, replyTo }), {
              timeoutMs: Infinity,
            });
        }
      },
    }));
}
