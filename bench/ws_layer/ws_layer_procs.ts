/**
 * The child processes of `bench/ws_layer/ws_layer.ts`: the server under test
 * (`bench/ws_layer/ws_layer_server.ts`), whose own CPU time and RSS are read from /proc, and the client
 * processes (`bench/ws_layer/ws_layer_client.ts`), driven by JSON lines.
 * @module
 */
import { parseProcStat } from "../proc_sampler.ts";
import { statusKiB } from "./ws_layer_report.ts";
import type { ServerStats } from "./ws_layer_server.ts";

const DIR = new URL(".", import.meta.url).pathname;

/** Runs `deno run -A <file> ...args` under `ulimit -n <openFiles>` (the hard limit by default). */
function _spawn(file: string, args: string[], openFiles?: number): Deno.ChildProcess {
  const limit = openFiles === undefined ? '"$(ulimit -Hn)"' : String(openFiles);
  // exec: the child's pid is the deno process's own.
  return new Deno.Command("bash", {
    args: [
      "-c",
      `ulimit -n ${limit} && exec "$@"`,
      "_",
      Deno.execPath(),
      "run",
      "-A",
      file,
      ...args,
    ],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
}

/** Reads lines from a child's stdout. */
class _Lines {
  #reader: ReadableStreamDefaultReader<string>;
  #buffer = "";

  constructor(stream: ReadableStream<Uint8Array>) {
    this.#reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  }

  async next(): Promise<string | undefined> {
    for (;;) {
      const i = this.#buffer.indexOf("\n");
      if (i >= 0) {
        const line = this.#buffer.slice(0, i);
        this.#buffer = this.#buffer.slice(i + 1);
        return line;
      }
      const { value, done } = await this.#reader.read();
      if (done) return undefined;
      this.#buffer += value;
    }
  }
}

/** A running `bench/ws_layer/ws_layer_server.ts`. */
export interface ServerProcess {
  readonly pid: number;
  readonly port: number;
  /** `GET /stats`, or undefined when it does not answer within `timeoutMs`. */
  stats(timeoutMs?: number): Promise<ServerStats | undefined>;
  /** VmRSS (or another field of /proc/<pid>/status), KiB; NaN once the process is gone. */
  memKiB(field?: string): number;
  /** User + system CPU time of the process so far, s. */
  cpuSeconds(): number;
  /** Whether the process is still running. */
  alive(): boolean;
  /** The exit code once the process has ended. */
  exitCode(): number | undefined;
  stop(): Promise<void>;
}

/** Starts the server (`--impl`, extra args) and waits for it to listen. */
export async function startServer(
  impl: string,
  options: { args?: string[]; openFiles?: number } = {},
): Promise<ServerProcess> {
  const child = _spawn(
    `${DIR}ws_layer_server.ts`,
    ["--impl", impl, ...(options.args ?? [])],
    options.openFiles,
  );
  child.stdin.close();
  let exited = false;
  let code: number | undefined;
  const status = child.status.then((s) => (exited = true, code = s.code, s));
  const line = await new _Lines(child.stdout).next();
  const port = Number(/^listening (\d+)/.exec(line ?? "")?.[1]);
  if (!port) throw new Error(`server ${impl} did not start: ${line}`);
  const read = (path: string) => {
    try {
      return Deno.readTextFileSync(path);
    } catch {
      return "";
    }
  };
  return {
    pid: child.pid,
    port,
    async stats(timeoutMs = 5_000) {
      const client = Deno.createHttpClient({ poolMaxIdlePerHost: 0 });
      try {
        const res = await fetch(`http://127.0.0.1:${port}/stats`, {
          client,
          signal: AbortSignal.timeout(timeoutMs),
        });
        return await res.json();
      } catch {
        return undefined;
      } finally {
        client.close();
      }
    },
    memKiB: (field = "VmRSS") => statusKiB(read(`/proc/${child.pid}/status`), field),
    cpuSeconds: () => parseProcStat(read(`/proc/${child.pid}/stat`)).ticks / 100,
    alive: () => !exited,
    exitCode: () => code,
    async stop() {
      if (!exited) child.kill("SIGKILL");
      await status;
    },
  };
}

/** Client processes, each answering one JSON line per command. */
export class ClientFleet {
  #children: Deno.ChildProcess[];
  #lines: _Lines[];
  #writers: WritableStreamDefaultWriter<Uint8Array>[];

  private constructor(children: Deno.ChildProcess[]) {
    this.#children = children;
    this.#lines = children.map((c) => new _Lines(c.stdout));
    this.#writers = children.map((c) => c.stdin.getWriter());
  }

  /** Starts `count` client processes. */
  static start(count: number): ClientFleet {
    return new ClientFleet(
      Array.from({ length: count }, () => _spawn(`${DIR}ws_layer_client.ts`, [])),
    );
  }

  /** How many client processes there are. */
  get size(): number {
    return this.#children.length;
  }

  /** Sends command i to process i (all at once) and resolves with their answers. */
  // deno-lint-ignore no-explicit-any
  async command(commands: Record<string, unknown>[]): Promise<any[]> {
    const encoder = new TextEncoder();
    return await Promise.all(commands.map(async (cmd, i) => {
      await this.#writers[i]!.write(encoder.encode(JSON.stringify(cmd) + "\n"));
      const line = await this.#lines[i]!.next();
      if (line === undefined) throw new Error(`client ${i} ended before answering ${cmd.cmd}`);
      return JSON.parse(line);
    }));
  }

  /** Closes every socket and ends the processes. */
  // deno-lint-ignore no-explicit-any
  async close(): Promise<any[]> {
    const replies = await this.command(this.#children.map(() => ({ cmd: "close" })));
    await Promise.all(this.#children.map((c) => c.status));
    return replies;
  }
}
