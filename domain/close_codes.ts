/**
 * Every WebSocket close code the server uses, on every socket: one table. The per-socket sets
 * ({@linkcode DRIVER_CLOSE_CODES}, {@linkcode VIEWER_CLOSE_CODES}) are views of it.
 */
export const CLOSE_CODES = {
  /** The order was delivered or cancelled: nothing more will come (order sockets). */
  finished: 1000,
  /** The server is shutting down; reconnect elsewhere. */
  goingAway: 1001,
  /** A frame larger than `MAX_FRAME_CHARS` (64 KiB). */
  tooLarge: 1009,
  /** Kafka did not take fixes; reconnect and resend everything after the last ack. */
  unavailable: 1011,
  /** The token expired while the socket was open; reconnect with a fresh one. */
  tokenExpired: 4001,
  /** The order does not exist (or the caller may not see it). */
  notFound: 4004,
  /** The client read too slowly: its send buffer stayed over the limit. */
  tooSlow: 4008,
  /** A newer socket of the same driver replaced this one; do not reconnect from this one. */
  replaced: 4009,
  /** The client kept sending over its rate limit after being told. */
  rateLimited: 4029,
} as const;

/** A name in {@linkcode CLOSE_CODES}. */
export type CloseCodeName = keyof typeof CLOSE_CODES;

/** The close codes of `names`, in that order, with the values of {@linkcode CLOSE_CODES}. */
function _closeCodes<K extends CloseCodeName>(
  names: readonly K[],
): { readonly [P in K]: typeof CLOSE_CODES[P] } {
  return Object.fromEntries(names.map((name) => [name, CLOSE_CODES[name]])) as {
    readonly [P in K]: typeof CLOSE_CODES[P];
  };
}

/** Close codes used on driver sockets. */
export const DRIVER_CLOSE_CODES = _closeCodes([
  "goingAway",
  "tooLarge",
  "unavailable",
  "tokenExpired",
  "replaced",
  "rateLimited",
]);

/** Close codes used on viewer sockets (order and restaurant). */
export const VIEWER_CLOSE_CODES = _closeCodes([
  "goingAway",
  "finished",
  "tokenExpired",
  "notFound",
  "tooSlow",
  "rateLimited",
]);
