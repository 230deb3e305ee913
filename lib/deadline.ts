/**
 * `promise`, or a rejection with a `TimeoutError` `DOMException` (`message` says how long) when
 * `ms` pass first. The promise itself goes on; the caller drops or closes what it was doing. The
 * timer is cleared either way, so nothing is left behind.
 *
 * @example
 * ```ts
 * await deadline(sql`SELECT 1`, 10_000); // no answer within 10 s: TimeoutError
 * ```
 */
export function deadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  if (!(ms >= 0)) throw new RangeError(`ms must be 0 or more, got ${ms}`);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new DOMException(`no answer within ${ms / 1000} s`, "TimeoutError")),
      ms,
    );
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/** Whether `error` is the one {@linkcode deadline} rejects with. */
export function isDeadlineError(error: unknown): boolean {
  return error instanceof DOMException && error.name === "TimeoutError";
}
