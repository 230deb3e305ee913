/**
 * The `/metrics` page of every service process behind `bases`, keyed by the URL's index and the
 * process's `tracking_instance_info`; null when an instance does not answer. Several worker
 * processes may share one URL (`start.ts --workers N`): each URL is scraped on fresh connections,
 * so the kernel picks a worker each time, until `quiet` scrapes in a row found no worker not seen
 * yet; a worker scraped twice keeps its latest page.
 */
export async function scrapeWorkers(
  bases: URL[],
  timeoutMs = 5000,
  quiet = 6,
): Promise<Map<string, string> | null> {
  try {
    const pages = new Map<string, string>();
    await Promise.all(bases.map(async (base, i) => {
      for (let unchanged = 0; unchanged < quiet;) {
        const client = Deno.createHttpClient({ poolMaxIdlePerHost: 0 });
        try {
          const res = await fetch(new URL("/metrics", base), {
            client,
            signal: AbortSignal.timeout(timeoutMs),
          });
          const text = await res.text();
          if (!res.ok) throw new Error(`/metrics answered ${res.status}`);
          const worker = /^tracking_instance_info\{instance="([^"]*)"\}/m.exec(text)?.[1] ?? "";
          const key = `${i}/${worker}`;
          unchanged = pages.has(key) ? unchanged + 1 : 0;
          pages.set(key, text);
          if (worker === "") break; // a service without the series: one process per URL
        } finally {
          client.close();
        }
      }
    }));
    return pages;
  } catch {
    return null;
  }
}

/**
 * Driver sockets the service processes hold open, by their own count: the sum of
 * `tracking_open_sockets{route="driver"}` over their pages ({@linkcode scrapeWorkers}). This is the
 * server's side of "concurrent connections": under overload a client can believe a socket is open
 * that the server has long dropped, or not yet accepted.
 */
export function driverSocketsIn(pages: ReadonlyMap<string, string>): number {
  return [...pages.values()].reduce((n, page) => n + parseDriverSockets(page), 0);
}

/** The `tracking_open_sockets{route="driver"}` value in a Prometheus text page (0 when absent). */
export function parseDriverSockets(metrics: string): number {
  const m = /^tracking_open_sockets\{[^}]*route="driver"[^}]*\}\s+(\S+)/m.exec(metrics);
  return m ? Number(m[1]) : 0;
}
