import { cursorStream, type CursorStreamOptions } from "./cursor_stream.ts";

/**
 * A byte stream of NDJSON (one JSON value a line) from batches pulled from `batches`, one batch
 * at a time as the reader wants more; `options` end a stalled or too long stream
 * ({@linkcode cursorStream}).
 */
export function ndjsonStream<T>(
  batches: AsyncIterator<readonly T[]>,
  options: CursorStreamOptions = {},
): ReadableStream<Uint8Array> {
  return cursorStream(batches, _lines, options);
}

/** One JSON value a line, each line ended by `\n`. */
function _lines<T>(batch: readonly T[]): string {
  return batch.map((v) => JSON.stringify(v)).join("\n") + "\n";
}
