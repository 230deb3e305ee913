import { DEV_JWT_SECRET, loadConfig } from "./infra/config.ts";
import { startService } from "./service.ts";

/**
 * Entry point: `deno task dev` (dev mode), or `deno run -A main.ts` with `JWT_SECRET` set.
 * Reads the environment (a wrong or missing setting stops start-up with one line and exit
 * code 2), starts, and drains on SIGTERM/SIGINT.
 */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(Deno.env.toObject());
  } catch (error) {
    console.error((error as Error).message);
    Deno.exit(2);
  }
  if (config.JWT_SECRET === DEV_JWT_SECRET) {
    console.warn(
      `dev mode (TRACKING_DEV=1): using the dev secret "${DEV_JWT_SECRET}". Make a token with:`,
    );
    console.warn("  deno task token driver d1");
  }
  if (!config.DATABASE_URL) {
    console.warn("DATABASE_URL is unset: using embedded PostgreSQL (PGlite)");
  }
  const service = await startService(config);
  console.log(`tracking service listening on http://${config.HOST}:${service.port}`);
  console.log(
    `pages: / (fleet, ops), /track/<orderId>, /restaurant/<id>, /replay${
      config.JWT_SECRET === DEV_JWT_SECRET ? " (dev sign-in on each page)" : ""
    }`,
  );
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log("draining...");
    await service.close();
    console.log("stopped");
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGTERM", stop);
  Deno.addSignalListener("SIGINT", stop);
}

if (import.meta.main) await main();
