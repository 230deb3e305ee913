import { sign } from "hono/jwt";
import { DEV_JWT_SECRET } from "./config.ts";

/**
 * Prints a signed token for local use: `deno task token <role> <id> [hours]`.
 * Uses JWT_SECRET, or the dev secret when unset.
 */
async function main(): Promise<void> {
  const [role, sub, hours = "24"] = Deno.args;
  if (!role || !sub) {
    console.error("usage: deno task token <driver|customer|restaurant|ops> <id> [hours]");
    Deno.exit(2);
  }
  const secret = Deno.env.get("JWT_SECRET") || DEV_JWT_SECRET;
  const exp = Math.floor(Date.now() / 1000) + Number(hours) * 3600;
  console.log(await sign({ sub, role, exp }, secret, "HS256"));
}

if (import.meta.main) await main();
