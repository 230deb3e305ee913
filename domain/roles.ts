/**
 * Roles a token may carry. `dispatcher` finds drivers (`GET /drivers/nearby`) and nothing else;
 * `share` is a share link's token (`POST /orders/:id/share`): `sub` is the order it opens, `jti`
 * the link's id, and it reads that order alone.
 */
export const ROLES = ["driver", "customer", "restaurant", "ops", "dispatcher", "share"] as const;

/** One of {@linkcode ROLES}. */
export type Role = typeof ROLES[number];

/** True when `value` is one of {@linkcode ROLES}. */
export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/** The roles a person's token carries: all but `share`, which only share links are signed with. */
export const PERSON_ROLES = [
  "driver",
  "customer",
  "restaurant",
  "ops",
  "dispatcher",
] as const satisfies readonly Role[];
