/** A share link of an order: a read-only token for that order alone (`POST /orders/:id/share`). */
export interface OrderShare {
  /** The link's id: the token's `jti`. */
  readonly shareId: string;
  readonly orderId: string;
  /** Who made it, `role:sub`. */
  readonly createdBy: string;
  /** Epoch ms. */
  readonly createdAt: number;
  /** Epoch ms: the token's `exp`. */
  readonly expiresAt: number;
}

/**
 * Where share links are kept, across instances (`infra/postgres/share_store.ts`): a token is
 * honoured only while its link is stored and not revoked.
 */
export interface ShareStore {
  /** Stores a new link. */
  create(share: OrderShare): Promise<void>;
  /** True when the link `shareId` of `orderId` exists and is not revoked. */
  isActive(shareId: string, orderId: string): Promise<boolean>;
  /**
   * Revokes the link `shareId` of `orderId`, or every link of `orderId` when `shareId` is left
   * out; returns how many were revoked now (not counting those revoked before).
   */
  revoke(orderId: string, shareId?: string): Promise<number>;
}
