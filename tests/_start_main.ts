import { DATABASE_URL, KAFKA_BROKERS } from "./_support.ts";

/** What a run of main.ts left behind. */
export interface MainRun {
  readonly code: number;
  readonly stdout: string;
  /** Trimmed. */
  readonly stderr: string;
  readonly elapsedMs: number;
}

/**
 * Runs main.ts as a child process until it exits (at most 60 s), with a valid configuration
 * (a random 48-byte secret, the test database and broker, port 0) changed by `env`. Empty values
 * count as unset, so the run does not depend on the caller's environment.
 */
export async function runMain(env: Record<string, string>): Promise<MainRun> {
  const main = new URL("../main.ts", import.meta.url).pathname;
  const started = performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", main],
    env: {
      PORT: "0",
      HOST: "127.0.0.1",
      DATABASE_URL,
      KAFKA_BROKERS,
      JWT_SECRET: "",
      TRACKING_DEV: "",
      LOG_LEVEL: "",
      LOG_FORMAT: "",
      ...env,
    },
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(60_000),
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return {
    code: out.code,
    stdout: text(out.stdout),
    stderr: text(out.stderr).trim(),
    elapsedMs: performance.now() - started,
  };
}

/** A random JWT secret long enough for start-up. */
export function randomSecret(): string {
  return btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(48))));
}
