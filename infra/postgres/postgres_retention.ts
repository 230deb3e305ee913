import type { Retention, RetentionReport } from "../../domain/retention.ts";
import type postgres from "postgres";
import type { Sql } from "./connect_postgres.ts";
import {
  createDayPartitions,
  DAY_MS,
  dropDayPartition,
  HISTORY_TABLE,
  inTransaction,
  listDayPartitions,
  PARTITION_DAYS_AHEAD,
  pastRetention,
  utcDayStart,
} from "./history_partitions.ts";
import { logger } from "../../lib/log.ts";

const _log = logger("storage");

/** Settings of {@linkcode PostgresRetention}. */
export interface RetentionOptions {
  /** `HISTORY_RETENTION_DAYS`: day partitions whose whole day is older are dropped. */
  readonly historyRetentionDays: number;
  /** `ORDER_RETENTION_DAYS`: finished orders last changed longer ago are deleted. */
  readonly orderRetentionDays: number;
  /** `DEAD_LETTER_RETENTION_DAYS`: dead letters set aside longer ago are deleted. */
  readonly deadLetterRetentionDays: number;
  /** Orders (and dead letters) deleted per statement (default 1,000). */
  readonly orderBatch?: number;
  /** Longest wait for the lock of `driver_locations` to create or drop a partition, ms (default 5 s); past it the round fails and is retried. */
  readonly lockTimeoutMs?: number;
}

/** The session advisory lock (two keys: this class, the table's oid) that one round holds. */
const _LOCK = "tracking.retention";

/**
 * {@linkcode Retention} on PostgreSQL. One round, under a session advisory lock
 * (`pg_try_advisory_lock`, keyed on this schema's `driver_locations`) so only one instance does
 * it while the others skip: create the history partitions of today .. today + 3, drop those
 * whose whole day is older than the history retention, then delete finished (delivered or
 * cancelled) orders not changed for the order retention, their notifications first, in batches.
 * Every create and drop is logged; the caller counts them from the report.
 */
export class PostgresRetention implements Retention {
  #sql: Sql;
  #options: RetentionOptions;

  /** Uses the pool `sql`, which the caller owns and closes. */
  constructor(sql: Sql, options: RetentionOptions) {
    const keys = ["historyRetentionDays", "orderRetentionDays", "deadLetterRetentionDays"] as const;
    for (const key of keys) {
      if (!Number.isSafeInteger(options[key]) || options[key] < 1) {
        throw new RangeError(`${key} must be a whole number of days >= 1, got ${options[key]}`);
      }
    }
    this.#sql = sql;
    this.#options = options;
  }

  /** {@inheritDoc Retention.run} */
  async run(now: number): Promise<RetentionReport> {
    // One connection for the lock and the work: a session lock belongs to its connection (and
    // the embedded database's pool has only one).
    const sql = await this.#sql.reserve();
    try {
      const [row] = await sql<{ locked: boolean }[]>`
        SELECT pg_try_advisory_lock(hashtext(${_LOCK}), ${HISTORY_TABLE}::regclass::oid::int)
          AS locked`;
      if (!row?.locked) {
        _log.debug("retention skipped: another instance holds the lock");
        return {
          ran: false,
          created: [],
          dropped: [],
          partitions: 0,
          ordersDeleted: 0,
          notificationsDeleted: 0,
          deadLettersDeleted: 0,
        };
      }
      try {
        return await this.#round(sql, now);
      } finally {
        await sql`
          SELECT pg_advisory_unlock(hashtext(${_LOCK}), ${HISTORY_TABLE}::regclass::oid::int)`;
      }
    } finally {
      sql.release();
    }
  }

  async #round(sql: postgres.ReservedSql, now: number): Promise<RetentionReport> {
    const { historyRetentionDays, orderRetentionDays, deadLetterRetentionDays } = this.#options;
    const today = utcDayStart(now);
    const ahead = Array.from({ length: PARTITION_DAYS_AHEAD + 1 }, (_, i) => today + i * DAY_MS);
    const ddl = { lockTimeoutMs: this.#options.lockTimeoutMs };
    const created = await createDayPartitions(sql, ahead, "ahead", ddl);
    const dropped: string[] = [];
    const partitions = await listDayPartitions(sql);
    for (const partition of partitions) {
      if (!pastRetention(partition.dayStart, now, historyRetentionDays)) continue;
      await dropDayPartition(sql, partition, ddl);
      dropped.push(partition.name);
    }
    const { orders, notifications } = await this.#deleteOrders(
      sql,
      now - orderRetentionDays * DAY_MS,
    );
    const deadLettersDeleted = await this.#deleteDeadLetters(
      sql,
      now - deadLetterRetentionDays * DAY_MS,
    );
    return {
      ran: true,
      created,
      dropped,
      partitions: partitions.length - dropped.length,
      ordersDeleted: orders,
      notificationsDeleted: notifications,
      deadLettersDeleted,
    };
  }

  /**
   * Deletes dead letters set aside before `cutoff`, a batch per statement. `created_at` has no
   * index: each statement scans the table, which the retention keeps small (a round an hour).
   */
  async #deleteDeadLetters(sql: postgres.ReservedSql, cutoff: number): Promise<number> {
    const batch = this.#options.orderBatch ?? 1_000;
    let deleted = 0;
    for (;;) {
      const { count } = await sql`
        DELETE FROM dead_letters WHERE ctid = ANY(ARRAY(
          SELECT ctid FROM dead_letters WHERE created_at < ${cutoff} LIMIT ${batch}))`;
      deleted += count;
      if (count < batch) break;
    }
    if (deleted > 0) {
      _log.info("dead letters deleted", {
        deadLetters: deleted,
        setAsideBefore: new Date(cutoff).toISOString(),
        reason: "retention",
      });
    }
    return deleted;
  }

  /** Deletes finished orders last changed before `cutoff`, with their notifications, in batches. */
  async #deleteOrders(
    sql: postgres.ReservedSql,
    cutoff: number,
  ): Promise<{ orders: number; notifications: number }> {
    const batch = this.#options.orderBatch ?? 1_000;
    let orders = 0;
    let notifications = 0;
    for (;;) {
      const done = await inTransaction(sql, async () => {
        const ids = (await sql<{ id: string }[]>`
          SELECT id FROM orders
          WHERE status IN ('delivered', 'cancelled') AND updated_at < ${cutoff}
          ORDER BY updated_at LIMIT ${batch}
          FOR UPDATE SKIP LOCKED`).map((r) => r.id);
        if (ids.length === 0) return 0;
        // Notifications first: they reference the order.
        const n = await sql`DELETE FROM notifications WHERE order_id = ANY(${ids}::text[])`;
        const o = await sql`DELETE FROM orders WHERE id = ANY(${ids}::text[])`;
        notifications += n.count;
        orders += o.count;
        return ids.length;
      });
      if (done < batch) break;
    }
    if (orders > 0) {
      _log.info("finished orders deleted", {
        orders,
        notifications,
        updatedBefore: new Date(cutoff).toISOString(),
        reason: "retention",
      });
    }
    return { orders, notifications };
  }
}
