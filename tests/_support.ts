import { sign } from "hono/jwt";
import { type Config, loadConfig } from "../infra/config.ts";
import { deleteTopics } from "./_topics.ts";

/** The database every integration test uses (CI exports it; this is the local default). */
export const DATABASE_URL = Deno.env.get("DATABASE_URL") ??
  "postgres://postgres@127.0.0.1:5432/test";
/** The broker `deno task test` starts (or `KAFKA_BROKERS`). */
export const KAFKA_BROKERS = Deno.env.get("KAFKA_BROKERS") ?? "127.0.0.1:9092";
/** A secret for test tokens. */
export const SECRET = "integration-test-secret-0123456789abcdef";

/** A short unique id, so each test run has its own topics, group and driver ids. */
export function runId(): string {
  return crypto.randomUUID().slice(0, 8);
}

/** Environment for one isolated service run: own topic and consumer group. */
export function testEnv(run: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PORT: "0",
    HOST: "127.0.0.1",
    DATABASE_URL,
    KAFKA_BROKERS,
    JWT_SECRET: SECRET,
    LOCATIONS_TOPIC: `driver-locations-${run}`,
    ORDER_EVENTS_TOPIC: `order-events-${run}`,
    HISTORY_GROUP: `history-writer-${run}`,
    ZONE_EVENTS_TOPIC: `zone-events-${run}`,
    INSTANCE_ID: `test-${run}`,
    HISTORY_FLUSH_MS: "200",
    ACK_INTERVAL_MS: "50",
    // Test clients stream and resend fixes one frame each, far faster than an app would.
    SOCKET_RATE_PER_SEC: "100000",
    SOCKET_RATE_BURST: "100000",
    ...extra,
  };
}

/**
 * The environment of a start-up test's main.ts, run to its exit: a valid configuration but the
 * secret (the test database and broker, port 0), changed by `env`. Empty values count as unset,
 * so the run does not depend on the caller's environment.
 */
export function startupEnv(env: Record<string, string>): Record<string, string> {
  return {
    PORT: "0",
    HOST: "127.0.0.1",
    DATABASE_URL,
    KAFKA_BROKERS,
    JWT_SECRET: "",
    TRACKING_DEV: "",
    LOG_LEVEL: "",
    LOG_FORMAT: "",
    ...env,
  };
}

/** The topics a service started with {@linkcode testEnv}`(run)` creates. */
export function runTopics(run: string): string[] {
  return [`driver-locations-${run}`, `order-events-${run}`, `zone-events-${run}`];
}

/**
 * Deletes the run's topics ({@linkcode runTopics}); call it in `finally` once the services of the
 * run are closed. A failure to delete is reported as a warning, so clean-up never hides the
 * test's own outcome.
 */
export async function cleanupRun(run: string, brokers: string = KAFKA_BROKERS): Promise<void> {
  try {
    await deleteTopics(brokers, runTopics(run));
  } catch (error) {
    console.warn(`could not delete the topics of run ${run}:`, error);
  }
}

/** The same, parsed. */
export function testConfig(run: string, extra: Record<string, string> = {}): Config {
  return loadConfig(testEnv(run, extra));
}

/** A signed token for a role and id. */
export async function token(role: string, sub: string): Promise<string> {
  return await sign({ sub, role, exp: Math.floor(Date.now() / 1000) + 3600 }, SECRET, "HS256");
}

/** Polls `check` until it returns true or the time is up; throws with `what` on time-out. */
export async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Resolves with `promise`, or rejects naming `what` after `ms`. */
export async function within(promise: Promise<void>, ms: number, what: string): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
  });
  try {
    await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
