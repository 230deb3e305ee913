import { type Clock, systemClock } from "../actors/runtime/mod.ts";
import { CLOSE_CODES } from "../domain/close_codes.ts";

/** Options of {@linkcode closeOnExpiry}. */
export interface CloseOnExpiryOptions {
  /** Time and timers; defaults to the system clock (epoch ms, like `exp` × 1000). */
  readonly clock?: Clock | undefined;
  /** Close code; defaults to 4001 (`CLOSE_CODES.tokenExpired`, `VIEWER_CLOSE_CODES.tokenExpired`). */
  readonly code?: number | undefined;
}

/**
 * Closes an open socket with 4001 when the token's `exp` (seconds since the epoch) passes.
 * At once when it has already passed; never without `exp`. Returns a function that cancels
 * the timer: call it when the socket closes, so no timer outlives the connection.
 *
 * @example
 * ```ts
 * let cancel = () => {};
 * onOpen: (_e, ws) => cancel = closeOnExpiry(principal, (code, reason) => ws.close(code, reason)),
 * onClose: () => cancel(),
 * ```
 */
export function closeOnExpiry(
  principal: { readonly exp?: number | undefined },
  close: (code: number, reason: string) => void,
  options: CloseOnExpiryOptions = {},
): () => void {
  const { exp } = principal;
  if (exp === undefined) return () => {};
  const clock = options.clock ?? systemClock;
  const code = options.code ?? CLOSE_CODES.tokenExpired;
  const expiresAt = exp * 1000;
  let timer: number | undefined;
  // Long delays may be capped by the clock (timers past ~24.8 days): check and wait again.
  const check = () => {
    timer = undefined;
    const left = expiresAt - clock.now();
    if (left > 0) timer = clock.setTimeout(check, left);
    else close(code, "token expired");
  };
  check();
  return () => {
    if (timer !== undefined) clock.clearTimeout(timer);
    timer = undefined;
  };
}
