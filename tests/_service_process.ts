/**
 * The service as a child process (`deno run -A main.ts`), for tests that kill it.
 * Output is drained in the background; `output` keeps it for failure messages.
 */
export class ServiceProcess {
  readonly port: number;
  output = "";
  #child: Deno.ChildProcess;
  #pumps: Promise<void>[];

  private constructor(
    child: Deno.ChildProcess,
    port: number,
    output: string,
    pumps: Promise<void>[],
  ) {
    this.#child = child;
    this.port = port;
    this.output = output;
    this.#pumps = pumps;
  }

  /**
   * Starts main.ts with `env` and resolves once it listens; with `openFiles`, under that
   * open-files limit (`ulimit -n`).
   */
  static async start(
    env: Record<string, string>,
    options: { readonly timeoutMs?: number; readonly openFiles?: number } = {},
  ): Promise<ServiceProcess> {
    const timeoutMs = options.timeoutMs ?? 60_000;
    const main = new URL("../main.ts", import.meta.url).pathname;
    const deno = [Deno.execPath(), "run", "--allow-all", main];
    const [command, ...args] = options.openFiles === undefined
      ? deno
      : ["bash", "-c", `ulimit -n ${options.openFiles} && exec "$@"`, "bash", ...deno];
    const child = new Deno.Command(command!, {
      args,
      // The port is read from the info line "listening on http://host:port": keep info on.
      env: { LOG_LEVEL: "info", ...env },
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    let output = "";
    let resolvePort: (port: number) => void;
    const portSeen = new Promise<number>((r) => resolvePort = r);
    const pump = async (stream: ReadableStream<Uint8Array>) => {
      for await (const text of stream.pipeThrough(new TextDecoderStream())) {
        output += text;
        const match = output.match(/listening on http:\/\/[^:]+:(\d+)/);
        if (match) resolvePort(Number(match[1]));
        if (self) self.output = output;
      }
    };
    let self: ServiceProcess | undefined;
    const pumps = [pump(child.stdout), pump(child.stderr)];
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`service did not start:\n${output}`)), timeoutMs);
    });
    const exited = child.status.then((s) => {
      throw new Error(`service exited with ${s.code} during start-up:\n${output}`);
    });
    try {
      const port = await Promise.race([portSeen, timeout, exited]);
      self = new ServiceProcess(child, port, output, pumps);
      return self;
    } catch (error) {
      try {
        child.kill("SIGKILL");
      } catch { /* already gone */ }
      await child.status;
      await Promise.all(pumps);
      throw error;
    } finally {
      clearTimeout(timer);
      exited.catch(() => {});
    }
  }

  /** Sends a signal and waits for the exit; returns the exit code. */
  async stop(signal: Deno.Signal): Promise<number> {
    try {
      this.#child.kill(signal);
    } catch { /* already gone */ }
    const status = await this.#child.status;
    await Promise.all(this.#pumps);
    return status.code;
  }
}
