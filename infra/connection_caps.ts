/** File descriptors kept free for Kafka, PostgreSQL, the logs and files: not given to clients. */
export const OPEN_FILES_HEADROOM = 256;

/** The connection and socket caps of one instance; see {@linkcode connectionCaps}. */
export interface ConnectionCaps {
  /** TCP connections the HTTP server holds at once; over it a new one is closed at once. */
  readonly maxConnections: number;
  /** WebSockets admitted at once (503 `server_at_capacity` past it), below `maxConnections`. */
  readonly maxSockets: number;
  /** The open-files limit they were derived from, if known. */
  readonly openFiles: number | undefined;
}

/**
 * Caps that keep the process below its open-files limit, so that no number of clients can make
 * accepting fail (EMFILE): connections get the limit less {@linkcode OPEN_FILES_HEADROOM}
 * (or `MAX_CONNECTIONS` when lower); sockets get `MAX_SOCKETS`, but never more than connections
 * less a twentieth (at least 32) kept for HTTP requests, so the 503 comes before the drop.
 */
export function connectionCaps(
  settings: { readonly MAX_SOCKETS: number; readonly MAX_CONNECTIONS?: number | undefined },
  openFiles: number | undefined,
): ConnectionCaps {
  const byFiles = openFiles === undefined
    ? Number.POSITIVE_INFINITY
    : Math.max(openFiles - OPEN_FILES_HEADROOM, 64);
  const maxConnections = Math.min(settings.MAX_CONNECTIONS ?? byFiles, byFiles);
  const finite = Number.isFinite(maxConnections) ? maxConnections : 1_000_000;
  const reserve = Math.max(32, Math.floor(finite / 20));
  return {
    maxConnections: finite,
    maxSockets: Math.max(1, Math.min(settings.MAX_SOCKETS, finite - reserve)),
    openFiles,
  };
}
