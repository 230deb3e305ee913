import { stopChild } from "../sim/stop_child.ts";

/** A baseline stage process started by the bench. */
export interface StageProcess {
  /** stage name: ingest, history or live */
  name: string;
  pid: number;
  /** the port it listens on, when it serves */
  port: number | undefined;
  /** SIGTERM, SIGKILL after 10 s; resolves with the exit code */
  stop(): Promise<number>;
}

const _CONFIG = new URL("../deno.json", import.meta.url).pathname;

/**
 * Starts `deno run -A <script> <args>` (the same deno as the bench) and waits for the line
 * `{"ready":true,"port":N}` it prints once it serves (60 s at most). Its stderr goes to ours.
 */
export async function startStage(
  name: string,
  script: URL,
  args: string[],
): Promise<StageProcess> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--config", _CONFIG, script.pathname, ...args],
    stdin: "null",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const status = child.status;
  const stop = () => stopChild(child, status, { killAfterMs: 10_000 });
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const timeout = setTimeout(() => void stop(), 60_000);
  let buf = "";
  try {
    while (!buf.includes("\n")) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`stage ${name} (${script.pathname}) exited before it was ready`);
      buf += value;
    }
  } finally {
    clearTimeout(timeout);
  }
  const ready = JSON.parse(buf.slice(0, buf.indexOf("\n"))) as { ready?: boolean; port?: number };
  if (!ready.ready) throw new Error(`stage ${name}: unexpected first line ${buf}`);
  // Keep reading (and dropping) stdout so the child never blocks on a full pipe.
  void (async () => {
    try {
      while (!(await reader.read()).done) { /* drop */ }
    } catch { /* gone */ }
  })();
  return { name, pid: child.pid, port: ready.port, stop };
}
