import { DEV_JWT_SECRET, loadConfig } from "./infra/config.ts";
import { startService } from "./service.ts";

/** Entry point: `deno task dev`. Reads the environment, starts, and drains on SIGTERM/SIGINT. */
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
      `JWT_SECRET is unset: using the dev secret "${DEV_JWT_SECRET}". Make a token with:`,
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
