import type { ActorSystem } from "../actors/runtime/mod.ts";
import { RETENTION, retentionActorKind } from "../actors/retention_actor.ts";
import type { Config } from "../infra/config.ts";
import type { Metrics } from "../infra/metrics.ts";
import { RetentionMetrics } from "../infra/retention_metrics.ts";
import type { Sql } from "../infra/postgres/connect_postgres.ts";
import { PostgresRetention } from "../infra/postgres/postgres_retention.ts";
import { PostgresHistoryStore } from "../infra/postgres/history_store.ts";

/** What storage retention needs. */
export interface StorageRetentionDeps {
  readonly config: Pick<
    Config,
    "HISTORY_RETENTION_DAYS" | "ORDER_RETENTION_DAYS" | "DEAD_LETTER_RETENTION_DAYS"
  >;
  readonly system: ActorSystem;
  readonly sql: Sql;
  readonly metrics: Metrics;
}

/** Storage retention, started. */
export interface StorageRetention {
  /**
   * The history store the writer inserts through: it creates a missing day partition on demand
   * (counted in the retention metrics) and refuses days outside the retention window.
   */
  readonly historyWriter: PostgresHistoryStore;
}

/**
 * Registers the `retention` actor kind and starts its one actor: a round at once, then every
 * hour (see `actors/retention_actor.ts`); it stops with the actor system. Its metrics go in the
 * service's registry.
 */
export function startStorageRetention(deps: StorageRetentionDeps): StorageRetention {
  const metrics = new RetentionMetrics(deps.metrics.registry);
  const retention = new PostgresRetention(deps.sql, {
    historyRetentionDays: deps.config.HISTORY_RETENTION_DAYS,
    orderRetentionDays: deps.config.ORDER_RETENTION_DAYS,
    deadLetterRetentionDays: deps.config.DEAD_LETTER_RETENTION_DAYS,
  });
  deps.system.register(RETENTION, retentionActorKind({ retention, metrics }));
  deps.system.ref(RETENTION, "storage").tell({ type: "run" });
  return {
    historyWriter: new PostgresHistoryStore(deps.sql, {
      retentionDays: deps.config.HISTORY_RETENTION_DAYS,
      onPartitionsCreated: (names) =>
        metrics.partitionsCreated.inc({ reason: "on_demand" }, names.length),
    }),
  };
}
