/** WebSocket close codes used on driver sockets. */
export const CLOSE_CODES = {
  /** The server is shutting down; reconnect elsewhere. */
  goingAway: 1001,
  /** A frame larger than `MAX_FRAME_CHARS` (64 KiB). */
  tooLarge: 1009,
  /** Kafka did not take fixes; reconnect and resend everything after the last ack. */
  unavailable: 1011,
  /** The token expired while the socket was open; reconnect with a fresh one. */
  tokenExpired: 4001,
  /** A newer socket of the same driver replaced this one; do not reconnect from this one. */
  replaced: 4009,
  /** The client kept sending over its rate limit after being told. */
  rateLimited: 4029,
} as const;

/** Close codes used on viewer sockets (and on driver sockets for an expired token). */
export const VIEWER_CLOSE_CODES = {
  /** The server is shutting down; reconnect elsewhere. */
  goingAway: 1001,
  /** The order was delivered or cancelled: nothing more will come. */
  finished: 1000,
  /** The token expired while the socket was open; reconnect with a fresh one. */
  tokenExpired: 4001,
  /** The order does not exist (or the caller may not see it). */
  notFound: 4004,
  /** The client read too slowly: its send buffer stayed over the limit. */
  tooSlow: 4008,
  /** The client sent too many frames too fast. */
  rateLimited: 4029,
} as const;
