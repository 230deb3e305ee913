import { NOTIFIER } from "../actors/notifier_actor.ts";
import type { ActorSystem } from "../actors/runtime/mod.ts";
import { ZONE_JUDGE } from "../actors/zone_judge_actor.ts";
import type { LocationJudge } from "./history_pipeline.ts";

/** Who judges each batch, in this order. */
const _JUDGES = [NOTIFIER, ZONE_JUDGE] as const;

/**
 * The judges of driver-locations, for the regional consumer (`history_pipeline.ts`, group
 * `HISTORY_GROUP`), which hands each of them its view of every partition's batch, one after the
 * other: NotifierActor, then ZoneJudgeActor of that partition. Each stores what it decided
 * idempotently, so a batch that comes again (a rebuilt consumer) is judged again harmlessly. Both
 * actor kinds must be registered before the consumer starts.
 *
 * One after the other, not at once: two judges querying at once can make postgres.js open a second
 * connection, and in postgres.js 3.4.9 a connection whose start-up (`fetch_types`) meets a
 * PostgreSQL outage rejects a promise nobody holds (porsager/postgres#1192): the process crashed
 * in `tests/fault_shutdown_test.ts`, about one run in six, while the judges ran at once.
 */
export function locationJudges(system: ActorSystem): LocationJudge[] {
  return _JUDGES.map((judge) => (partition, records) =>
    system.ref(judge, String(partition))
      .ask<void>((replyTo) => ({ type: "records", records, replyTo }), { timeoutMs: Infinity })
  );
}
