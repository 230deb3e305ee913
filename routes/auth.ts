import type { Context, MiddlewareHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { verify } from "hono/jwt";
import { z } from "zod";

/** Roles a token may carry. */
export const ROLES = ["driver", "customer", "restaurant", "ops"] as const;

const claimsSchema = z.object({
  sub: z.string().min(1).max(128),
  role: z.enum(ROLES),
  exp: z.number().optional(),
});

/**
 * The authenticated caller, from the token's `sub` and `role` claims, and `exp` (seconds since
 * the epoch) when the token has one, so sockets can close when it passes (`closeOnExpiry`).
 */
export type Principal = z.infer<typeof claimsSchema>;

/** Hono variables set by {@linkcode authenticate}. */
export type AuthEnv = { Variables: { principal: Principal } };

/**
 * Verifies an HS256 JWT from `Authorization: Bearer` or, for browsers, the `token` query
 * parameter, and sets `principal`. Answers 401 without a valid token (an expired one included:
 * `verify` checks `exp`), 403 for other roles.
 */
export function authenticate(
  secret: string,
  roles: readonly Principal["role"][] = ROLES,
): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const principal = await _principal(c, secret);
    if (!principal) throw new HTTPException(401, { message: "a valid bearer token is required" });
    if (!roles.includes(principal.role)) {
      throw new HTTPException(403, { message: `role ${principal.role} may not use this route` });
    }
    c.set("principal", principal);
    await next();
  };
}

async function _principal(c: Context, secret: string): Promise<Principal | undefined> {
  const header = c.req.header("Authorization");
  const token = header?.startsWith("Bearer ") ? header.slice(7).trim() : c.req.query("token");
  if (!token) return undefined;
  try {
    const parsed = claimsSchema.safeParse(await verify(token, secret, "HS256"));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
