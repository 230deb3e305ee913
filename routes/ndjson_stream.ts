/**
 * A byte stream of NDJSON (one JSON value a line) from batches pulled from `batches`: a batch is
 * fetched only when the reader (the HTTP response, so the client's socket) wants more, so the
 * producer never runs ahead of the client by more than one batch. Cancelling the stream (the
 * client went away) waits for a fetch under way, then closes `batches` (`return()`).
 */
export function ndjsonStream<T>(batches: AsyncIterator<readonly T[]>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let inflight: Promise<unknown> = Promise.resolve();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        const step = batches.next();
        inflight = step.catch(() => {});
        const { done, value } = await step;
        if (done) return controller.close();
        if (value.length === 0) continue;
        const text = value.map((v) => JSON.stringify(v)).join("\n") + "\n";
        return controller.enqueue(encoder.encode(text));
      }
    },
    async cancel() {
      await inflight;
      await batches.return?.();
    },
  }, { highWaterMark: 1 });
}
