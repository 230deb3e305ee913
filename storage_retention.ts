import type { ActorSystem } from "./actors/runtime/mod.ts";
import { retentionActorKind, type RetentionMessage } from "./actors/retention_actor.ts";
import type { Config } from "./infra/config.ts";
import type { Metrics } from "./infra/metrics.ts";
import { RetentionMetrics } from "./infra/retention_metrics.ts";
import type { Sql } from "./infra/postgres/connect_postgres.ts";
import { PostgresRetention } from "./infra/postgres/postgres_retention.ts";

/** What storage retention needs. */
export interface StorageRetentionDeps {
  readonly config: Pick<Config, "HISTORY_RETENTION_DAYS" | "ORDER_RETENTION_DAYS">;
  readonly system: ActorSystem;
  readonly sql: Sql;
  readonly metrics: Metrics;
}

/** Storage retention, started. */
export interface StorageRetention {
  /** Counts day partitions the history store created on demand (give it to the store). */
  partitionsCreated(names: readonly string[]): void;
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
  });
  deps.system.register<RetentionMessage>("retention", retentionActorKind({ retention, metrics }));
  deps.system.ref<RetentionMessage>("retention", "storage").tell({ type: "run" });
  return {
    partitionsCreated: (names) =>
      metrics.partitionsCreated.inc({ reason: "on_demand" }, names.length),
  };
}
