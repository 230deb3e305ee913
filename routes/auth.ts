import type { Context, MiddlewareHandler } from "hono";
import { verify } from "hono/jwt";
import { tokenKey } from "./token_key.ts";
import { apiError } from "./api_error.ts";
import { idProblem } from "../domain/ids.ts";
import { isRole, type Role, ROLES } from "../domain/roles.ts";
import { TOKEN_RULE_DEFAULTS, type TokenRules } from "../domain/token_rules.ts";

export { ROLES, TOKEN_RULE_DEFAULTS, type TokenRules };

declare module "hono" {
  interface ContextVariableMap {
    /** Set by {@linkcode tokenRules} for the whole app; read by {@linkcode authenticate}. */
    tokenRules: Partial<TokenRules> | undefined;
  }
}

/**
 * The authenticated caller, from the token's `sub` and `role` claims, and `exp` (seconds since
 * the epoch), so sockets can close when it passes (`closeOnExpiry`). Every accepted token has
 * `exp`; it stays optional here so callers that build a principal by hand need not invent one.
 */
export interface Principal {
  readonly sub: string;
  readonly role: Role;
  readonly exp?: number | undefined;
  /** A share link's id (`jti`), set only for role `share` (`sub` is then the order's id). */
  readonly shareId?: string | undefined;
}

/** Hono variables set by {@linkcode authenticate}. */
export type AuthEnv = { Variables: { principal: Principal } };

/** Why a token was refused: the `code` of the 401 body. `docs/errors.md` lists them. */
export const AUTH_FAILURES = [
  "token_missing",
  "token_in_query",
  "token_malformed",
  "token_bad_signature",
  "token_expired",
  "token_no_expiry",
  "token_not_yet_valid",
  "token_lifetime_too_long",
  "token_issued_in_future",
  "token_unknown_role",
  "token_bad_claims",
] as const;

/** One of {@linkcode AUTH_FAILURES}. */
export type AuthFailure = typeof AUTH_FAILURES[number];

/** A refused token: the reason and, when a claim is at fault, its name. */
export interface TokenRefusal {
  readonly code: AuthFailure;
  readonly message: string;
  readonly field?: string;
}

/** Options of {@linkcode authenticate}. */
export interface AuthenticateOptions {
  /**
   * Where the `token` query parameter is accepted: on WebSocket upgrade requests only (browsers
   * cannot set `Authorization` there), `never` (REST routes: tokens stay out of access logs and
   * `Referer`s, even with an `Upgrade` header), or `always` (pages a browser navigates to).
   * @default {"upgrade"}
   */
  readonly queryToken?: "upgrade" | "never" | "always";
  /** Seconds since the epoch; defaults to the system clock. */
  readonly now?: () => number;
  /**
   * Lifetime and skew limits; fields left out come from {@linkcode tokenRules} on the app, then
   * {@linkcode TOKEN_RULE_DEFAULTS}.
   */
  readonly rules?: Partial<TokenRules>;
}

/** Options for REST routes: the token only from `Authorization`. */
export const REST_AUTH: AuthenticateOptions = { queryToken: "never" };

/**
 * Verifies an HS256 JWT from `Authorization: Bearer` or, on WebSocket upgrades, the `token`
 * query parameter (see {@linkcode AuthenticateOptions.queryToken}), and sets `principal`. A refused token is 401 with its reason
 * ({@linkcode AuthFailure}) and `WWW-Authenticate` (RFC 6750); another role is 403 `forbidden`.
 */
export function authenticate(
  secret: string,
  roles: readonly Role[] = ROLES,
  options: AuthenticateOptions = {},
): MiddlewareHandler<AuthEnv> {
  return async (c, next) => {
    const token = _token(c, options.queryToken ?? "upgrade");
    if (typeof token !== "string") throw _unauthorized(token);
    const rules = { ...TOKEN_RULE_DEFAULTS, ...c.get("tokenRules"), ...options.rules };
    const result = await verifyToken(token, secret, {
      rules,
      ...options.now && { now: options.now },
    });
    if (!result.ok) throw _unauthorized(result);
    const principal = result.principal;
    if (!roles.includes(principal.role)) {
      throw apiError(403, "forbidden", `role ${principal.role} may not use this route`, {
        headers: { "WWW-Authenticate": _challenge("insufficient_scope", "role not allowed") },
      });
    }
    c.set("principal", principal);
    await next();
  };
}

/**
 * Hono middleware that sets the {@linkcode TokenRules} (`JWT_MAX_TTL_S`) every
 * {@linkcode authenticate} after it applies; mounted once on the whole app.
 */
export function tokenRules(rules: Partial<TokenRules>): MiddlewareHandler {
  return async (c, next) => {
    c.set("tokenRules", rules);
    await next();
  };
}

/** Options of {@linkcode verifyToken}. */
export interface VerifyTokenOptions {
  /** Seconds since the epoch. @default {the system clock} */
  readonly now?: () => number;
  /** @default {TOKEN_RULE_DEFAULTS} */
  readonly rules?: TokenRules;
}

/**
 * Checks a token: signature first (so nothing is said about the claims of a forged token),
 * then `exp` (required, within `rules.maxTtlS` of `iat` or now), `iat` (not ahead of the
 * clock by more than `rules.clockSkewS`), `nbf`, `role` and `sub` (the id rule of
 * `domain/ids.ts`; and `jti`, the link's id, for role `share`).
 */
export async function verifyToken(
  token: string,
  secret: string,
  options: VerifyTokenOptions = {},
): Promise<{ ok: true; principal: Principal } | ({ ok: false } & TokenRefusal)> {
  const now = options.now ?? (() => Date.now() / 1000);
  let claims: Record<string, unknown>;
  try {
    const key = await tokenKey(secret);
    claims = await verify(token, key, { alg: "HS256", exp: false, nbf: false, iat: false });
  } catch (error) {
    const name = (error as Error).name;
    if (name === "JwtTokenSignatureMismatched") {
      return _no("token_bad_signature", "the token's signature does not match");
    }
    if (name === "JwtAlgorithmMismatch") {
      return _no("token_malformed", "the token must be signed with HS256");
    }
    return _no("token_malformed", "the token is not a well-formed JWT");
  }
  const { exp, nbf, role, sub, jti } = claims;
  if (exp === undefined) {
    return _no("token_no_expiry", "the token has no exp claim; tokens must expire", "exp");
  }
  if (typeof exp !== "number" || !Number.isFinite(exp)) {
    return _no("token_bad_claims", "exp must be a number of seconds since the epoch", "exp");
  }
  if (exp <= now()) return _no("token_expired", "the token has expired", "exp");
  const times = _timeProblem(claims, now(), options.rules ?? TOKEN_RULE_DEFAULTS);
  if (times) return times;
  if (nbf !== undefined && (typeof nbf !== "number" || nbf > now())) {
    return _no("token_not_yet_valid", "the token is not valid yet (nbf)", "nbf");
  }
  if (!isRole(role)) {
    return _no("token_unknown_role", `role must be one of ${ROLES.join(", ")}`, "role");
  }
  const problem = idProblem(sub);
  if (problem) return _no("token_bad_claims", `sub ${problem}`, "sub");
  if (role !== "share") return { ok: true, principal: { sub: sub as string, role, exp } };
  const share = idProblem(jti);
  if (share) return _no("token_bad_claims", `a share link's jti ${share}`, "jti");
  return { ok: true, principal: { sub: sub as string, role, exp, shareId: jti as string } };
}

/** `iat` (a number, not ahead of `now` past the skew) and the lifetime (`exp - (iat ?? now)`). */
function _timeProblem(
  claims: { exp?: unknown; iat?: unknown },
  now: number,
  rules: TokenRules,
): ({ ok: false } & TokenRefusal) | undefined {
  const { exp, iat } = claims as { exp: number; iat?: unknown };
  if (iat !== undefined && (typeof iat !== "number" || !Number.isFinite(iat))) {
    return _no("token_bad_claims", "iat must be a number of seconds since the epoch", "iat");
  }
  if (iat !== undefined && iat > now + rules.clockSkewS) {
    return _no(
      "token_issued_in_future",
      `the token's iat is more than ${rules.clockSkewS} s ahead of the server clock`,
      "iat",
    );
  }
  if (exp - (iat ?? now) > rules.maxTtlS) {
    return _no(
      "token_lifetime_too_long",
      `the token lives longer than ${rules.maxTtlS} s (JWT_MAX_TTL_S); sign a shorter exp`,
      "exp",
    );
  }
  return undefined;
}

function _no(code: AuthFailure, message: string, field?: string): { ok: false } & TokenRefusal {
  return { ok: false, code, message, ...(field === undefined ? {} : { field }) };
}

function _token(c: Context, queryToken: "upgrade" | "never" | "always"): string | TokenRefusal {
  const header = c.req.header("Authorization");
  if (header !== undefined) {
    const match = /^Bearer +(\S+) *$/i.exec(header);
    if (!match) {
      return { code: "token_malformed", message: "Authorization must be 'Bearer <token>'" };
    }
    return match[1]!;
  }
  const query = c.req.query("token");
  if (query === undefined || query === "") {
    return { code: "token_missing", message: "a bearer token is required" };
  }
  const upgrade = c.req.header("Upgrade")?.toLowerCase() === "websocket";
  if (queryToken === "never" || (queryToken === "upgrade" && !upgrade)) {
    return {
      code: "token_in_query",
      message: "send the token in the Authorization header; ?token= is only for WebSocket upgrades",
    };
  }
  return query;
}

function _unauthorized(refusal: TokenRefusal) {
  // RFC 6750 §3.1: a request without a token gets the challenge without an error code.
  const challenge = refusal.code === "token_missing" ? 'Bearer realm="tracking"' : _challenge(
    refusal.code === "token_in_query" ? "invalid_request" : "invalid_token",
    refusal.message,
  );
  return apiError(401, refusal.code, refusal.message, {
    field: refusal.field,
    headers: { "WWW-Authenticate": challenge },
  });
}

function _challenge(error: string, description: string): string {
  const safe = description.replace(/["\\]/g, "'");
  return `Bearer realm="tracking", error="${error}", error_description="${safe}"`;
}
