/**
 * Driver sockets the service instances hold open, by their own count: the sum of
 * `tracking_open_sockets{route="driver"}` over each instance's `/metrics`. This is the server's
 * side of "concurrent connections": under overload a client can believe a socket is open that the
 * server has long dropped, or not yet accepted. Null when an instance does not answer.
 */
export async function serviceDriverSockets(bases: URL[], timeoutMs = 5000): Promise<number | null> {
  try {
    const counts = await Promise.all(bases.map(async (base) => {
      const res = await fetch(new URL("/metrics", base), {
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`/metrics answered ${res.status}`);
      return parseDriverSockets(text);
    }));
    return counts.reduce((a, b) => a + b, 0);
  } catch {
    return null;
  }
}

/** The `tracking_open_sockets{route="driver"}` value in a Prometheus text page (0 when absent). */
export function parseDriverSockets(metrics: string): number {
  const m = /^tracking_open_sockets\{[^}]*route="driver"[^}]*\}\s+(\S+)/m.exec(metrics);
  return m ? Number(m[1]) : 0;
}
