import { logger } from "../lib/log.ts";

const _log = logger("http", "stream");

/** Options of {@linkcode cursorStream}. */
export interface CursorStreamOptions {
  /**
   * End the stream when its reader (the client's socket, through the HTTP server) has not taken
   * the last chunk for this long, ms: a client that stopped reading. @default {Infinity}
   */
  readonly stallMs?: number;
  /** End the stream this long after it started, however fast it is read, ms. @default {Infinity} */
  readonly maxMs?: number;
  /** Called once when the stream is over (done, failed, cancelled or ended) and `batches` closed. */
  readonly onClose?: () => void;
}

/**
 * A byte stream of the batches pulled from `batches`, each turned into text by `encode`: a batch
 * is fetched only when the reader wants more, so the producer never runs ahead of the client by
 * more than one batch. Cancelling the stream (the client went away) waits for a fetch under way,
 * then closes `batches` (`return()`). A reader that takes nothing for `stallMs`, or a stream
 * older than `maxMs`, errors the stream (the HTTP server then drops the connection, so the client
 * sees a truncated body, never a clean end) and closes `batches` the same way.
 */
export function cursorStream<T>(
  batches: AsyncIterator<readonly T[]>,
  encode: (batch: readonly T[]) => string,
  options: CursorStreamOptions = {},
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const cursor = new _Cursor(batches, options.onClose);
  let end = (_reason: string) => {};
  return new ReadableStream<Uint8Array>({
    start(controller) {
      end = (reason) => {
        _log.info("stream ended", { reason });
        // Deno.serve prints the reason a body failed with (one line for a string, no stack).
        controller.error(`stream ended: ${reason}`);
        void cursor.finish(false);
      };
      cursor.deadline = _timer(options.maxMs, () => end(`longer than ${options.maxMs} ms`));
    },
    async pull(controller) {
      clearTimeout(cursor.stall);
      for (;;) {
        const step = await cursor.next();
        if (cursor.closed) return;
        if (step.done) {
          controller.close();
          return await cursor.finish(true);
        }
        if (step.value.length === 0) continue;
        controller.enqueue(encoder.encode(encode(step.value)));
        cursor.stall = _timer(options.stallMs, () => end(`not read for ${options.stallMs} ms`));
        return;
      }
    },
    async cancel() {
      await cursor.finish(false);
    },
  }, { highWaterMark: 1 });
}

/** The batches of one stream, the fetch under way, its timers, and closing them once. */
class _Cursor<T> {
  readonly #batches: AsyncIterator<readonly T[]>;
  readonly #onClose: (() => void) | undefined;
  #inflight: Promise<unknown> = Promise.resolve();
  stall: ReturnType<typeof setTimeout> | undefined;
  deadline: ReturnType<typeof setTimeout> | undefined;
  closed = false;

  constructor(batches: AsyncIterator<readonly T[]>, onClose: (() => void) | undefined) {
    this.#batches = batches;
    this.#onClose = onClose;
  }

  /** The next batch; a failed fetch closes the cursor, then fails. */
  async next(): Promise<IteratorResult<readonly T[]>> {
    const step = this.#batches.next();
    this.#inflight = step.catch(() => {});
    try {
      return await step;
    } catch (error) {
      await this.finish(true);
      throw error;
    }
  }

  /** Once: stops the timers, waits for a fetch under way, closes the batches unless exhausted. */
  async finish(exhausted: boolean): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.stall);
    clearTimeout(this.deadline);
    try {
      await this.#inflight;
      if (!exhausted) await this.#batches.return?.();
    } catch (error) {
      _log.warn("closing a stream's cursor failed", { error });
    } finally {
      this.#onClose?.();
    }
  }
}

/** A timeout of `ms`, or none when `ms` is unset or infinite. */
function _timer(
  ms: number | undefined,
  run: () => void,
): ReturnType<typeof setTimeout> | undefined {
  return ms === undefined || !Number.isFinite(ms) ? undefined : setTimeout(run, ms);
}
