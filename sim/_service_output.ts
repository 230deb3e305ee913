/**
 * The output of a {@linkcode ServiceProcess} (`service_process.ts`): written to a log file or kept
 * in memory, and its "listening on" lines counted (one per worker), with the first one's port.
 * @module
 */
const _LISTENING = /listening on http:\/\/[^:/]+:(\d+)/;

/** A service's stdout and stderr, to a file or in memory. */
export class ServiceOutput {
  /** What it wrote so far, when there is no log file. */
  text = "";
  /** Its "listening on" lines so far. */
  listening = 0;
  /** The port of the first "listening on" line; 0 before it. */
  port = 0;
  readonly #path: string | undefined;
  #file: Deno.FsFile | null = null;

  constructor(path: string | undefined) {
    this.#path = path;
  }

  /** Opens (truncates) the log file, if any. */
  async open(): Promise<void> {
    if (this.#path) {
      this.#file = await Deno.open(this.#path, { write: true, create: true, truncate: true });
    }
  }

  /** Reads `stream` to its end (or the child's death), line by line. */
  async pump(stream: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let partial = "";
    try {
      for await (const chunk of stream) {
        if (this.#file) await _writeAll(this.#file, chunk);
        const text = decoder.decode(chunk, { stream: true });
        if (!this.#file) this.text += text;
        const lines = (partial + text).split("\n");
        partial = lines.pop()!;
        for (const line of lines) this.#line(line);
      }
    } catch { /* the child is gone */ }
  }

  /** `:\n<output>`, or `; see <log file>`. */
  describe(): string {
    return this.#path ? `; see ${this.#path}` : `:\n${this.text}`;
  }

  /** Closes the log file, if any. */
  close(): void {
    try {
      this.#file?.close();
    } catch { /* closed already */ }
  }

  #line(line: string): void {
    const match = _LISTENING.exec(line);
    if (!match) return;
    this.listening++;
    this.port ||= Number(match[1]);
  }
}

async function _writeAll(file: Deno.FsFile, chunk: Uint8Array): Promise<void> {
  for (let off = 0; off < chunk.length;) off += await file.write(chunk.subarray(off));
}
