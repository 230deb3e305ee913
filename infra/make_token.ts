import { sign } from "hono/jwt";
import { jwtSecret, pickSettings } from "./config.ts";
import { idProblem } from "../domain/ids.ts";
import { PERSON_ROLES, type Role } from "../domain/roles.ts";
import { TOKEN_RULE_DEFAULTS } from "../domain/token_rules.ts";

/**
 * Longest lifetime `deno task token` signs by default, hours (7 days): what the service accepts
 * by default (`JWT_MAX_TTL_S`). With `JWT_MAX_TTL_S` set, that many seconds is the limit instead.
 */
export const MAX_TOKEN_HOURS = TOKEN_RULE_DEFAULTS.maxTtlS / 3600;

const _USAGE = `usage: deno task token <${PERSON_ROLES.join("|")}> <id> [hours, default 24]`;

/** What to sign: the claims and the secret. */
export interface TokenRequest {
  readonly claims: { sub: string; role: Role; exp: number };
  readonly secret: string;
}

/**
 * Reads `<role> <id> [hours]` and the environment (`JWT_SECRET`, or the dev secret when it is
 * unset) into what to sign. Throws a `TypeError` with a message for the user when the role is
 * unknown, the id breaks the id rule, hours is not a number in 0..{@linkcode MAX_TOKEN_HOURS}
 * (exclusive of 0; `JWT_MAX_TTL_S` seconds when set), or `JWT_SECRET` is too short; so no
 * unusable token is ever printed.
 */
export function tokenRequest(
  args: readonly string[],
  env: Record<string, string | undefined>,
  nowMs: number = Date.now(),
): TokenRequest {
  const [role, sub, hours = "24", ...rest] = args;
  if (!role || !sub || rest.length > 0) throw new TypeError(_USAGE);
  if (!_isPersonRole(role)) {
    const known = `use one of ${PERSON_ROLES.join(", ")}`;
    const share = role === "share" ? " (share links come from POST /orders/:id/share)" : "";
    throw new TypeError(`unknown role ${JSON.stringify(role)}${share}: ${known}`);
  }
  const problem = idProblem(sub);
  if (problem) throw new TypeError(`the id ${problem}`);
  const h = Number(hours);
  const settings = pickSettings(env, ["JWT_MAX_TTL_S", "JWT_SECRET"]);
  const max = settings.JWT_MAX_TTL_S / 3600;
  if (!/^\d+(\.\d+)?$/.test(hours) || !(h > 0) || h > max) {
    throw new TypeError(`hours must be a number above 0 and at most ${max}, got ${hours}`);
  }
  // Tokens are for the service: the same secret rules, with the dev secret when unset.
  const secret = jwtSecret(settings.JWT_SECRET, true);
  return { claims: { sub, role, exp: Math.floor(nowMs / 1000 + h * 3600) }, secret };
}

function _isPersonRole(role: string): role is typeof PERSON_ROLES[number] {
  return (PERSON_ROLES as readonly string[]).includes(role);
}

/** Prints a signed token for local use: `deno task token <role> <id> [hours]`. */
async function main(): Promise<void> {
  let request: TokenRequest;
  try {
    request = tokenRequest(Deno.args, Deno.env.toObject());
  } catch (error) {
    console.error((error as Error).message);
    Deno.exit(2);
  }
  console.log(await sign(request.claims, request.secret, "HS256"));
}

if (import.meta.main) await main();
