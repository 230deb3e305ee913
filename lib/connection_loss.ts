/**
 * Error codes of a lost or refused connection: the socket's own (`ECONNRESET`, `EPIPE`, ...),
 * postgres.js's (`CONNECTION_ENDED`, ...) and PostgreSQL's for a server shutting down or starting
 * (57P01 to 57P03).
 */
const _LOSS = new Set([
  "ECONNRESET",
  "EPIPE",
  "ECONNREFUSED",
  "ETIMEDOUT",
  "CONNECTION_ENDED",
  "CONNECTION_CLOSED",
  "CONNECTION_DESTROYED",
  "CONNECT_TIMEOUT",
  "57P01",
  "57P02",
  "57P03",
]);

/**
 * Whether `error` says a connection was lost or refused. The process does not crash on such an
 * error left unhandled: postgres.js 3.4.9 leaves one unhandled when PostgreSQL goes away while a
 * connection opens (porsager/postgres#1192), and every client here heals a lost connection.
 */
export function isConnectionLoss(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && _LOSS.has(code);
}
