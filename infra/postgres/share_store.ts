import type { OrderShare, ShareStore } from "../../domain/order_share.ts";
import type { Sql } from "./connect_postgres.ts";

/** {@linkcode ShareStore} on the `order_share_links` table (migration 007). */
export class PostgresShareStore implements ShareStore {
  #sql: Sql;

  /** Uses `sql`'s pool. */
  constructor(sql: Sql) {
    this.#sql = sql;
  }

  /** Stores a new link. */
  async create(share: OrderShare): Promise<void> {
    await this.#sql`
      INSERT INTO order_share_links (share_id, order_id, created_by, created_at, expires_at)
      VALUES (${share.shareId}, ${share.orderId}, ${share.createdBy}, ${share.createdAt},
              ${share.expiresAt})`;
  }

  /** True when the link exists for that order and is not revoked (one primary-key read). */
  async isActive(shareId: string, orderId: string): Promise<boolean> {
    const rows = await this.#sql`
      SELECT 1 FROM order_share_links
      WHERE share_id = ${shareId} AND order_id = ${orderId} AND revoked_at IS NULL`;
    return rows.length > 0;
  }

  /** Revokes one link of the order, or all of them; returns how many were revoked now. */
  async revoke(orderId: string, shareId?: string): Promise<number> {
    const now = Date.now();
    const rows = shareId === undefined
      ? await this.#sql`
        UPDATE order_share_links SET revoked_at = ${now}
        WHERE order_id = ${orderId} AND revoked_at IS NULL RETURNING 1`
      : await this.#sql`
        UPDATE order_share_links SET revoked_at = ${now}
        WHERE order_id = ${orderId} AND share_id = ${shareId} AND revoked_at IS NULL RETURNING 1`;
    return rows.length;
  }
}
