import { BENCH_SERVICE_OPTIONS, randomSecret, ServiceProcess } from "../../sim/service_process.ts";

/** A service process of one bench script, on topics and groups of its own. */
export interface IsolatedService {
  readonly service: ServiceProcess;
  /** The JWT secret it runs with, to sign the script's tokens. */
  readonly secret: string;
}

/**
 * Starts `main.ts` on `port` for the bench script `name` (its log in `/tmp/<name>_<run>.log`):
 * the test database and broker unless the environment names others, topics and consumer groups
 * named after `name` and `run` so nothing else is disturbed, and a random 48-byte JWT secret
 * (the service refuses shorter ones outside dev mode). `env` adds or overrides settings.
 */
export async function startIsolatedService(
  name: string,
  options: { port: number; run: string; env?: Record<string, string> },
): Promise<IsolatedService> {
  const { port, run } = options;
  const secret = randomSecret();
  const service = await ServiceProcess.start({
    ...BENCH_SERVICE_OPTIONS,
    port,
    logFile: `/tmp/${name}_${run}.log`,
    env: {
      ...Deno.env.toObject(),
      HOST: "127.0.0.1",
      JWT_SECRET: secret,
      DATABASE_URL: Deno.env.get("DATABASE_URL") ?? "postgres://postgres@127.0.0.1:5432/test",
      KAFKA_BROKERS: Deno.env.get("KAFKA_BROKERS") ?? "127.0.0.1:9092",
      LOCATIONS_TOPIC: `${name}-${run}`,
      ORDER_EVENTS_TOPIC: `${name}-orders-${run}`,
      HISTORY_GROUP: `${name}-history-${run}`,
      ...options.env,
    },
  });
  return { service, secret };
}
