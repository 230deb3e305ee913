/** Roles a token may carry. */
export const ROLES = ["driver", "customer", "restaurant", "ops"] as const;

/** One of {@linkcode ROLES}. */
export type Role = typeof ROLES[number];

/** True when `value` is one of {@linkcode ROLES}. */
export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}
