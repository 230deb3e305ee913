/**
 * Driver sockets the service instances hold open, by their own count: the sum of
 * `tracking_open_sockets{route="driver"}` over each instance's `/metrics`. This is the server's
 * side of "concurrent connections": under overload a client can believe a socket is open that the
 * server has long dropped, or not yet accepted. Null when an instance does not answer.
 * Several worker processes may share one URL (`start.ts --workers N`): each URL is scraped on
 * fresh connections, so the kernel picks a worker each time, until `quiet` scrapes in a row
 * found no worker not seen yet (`tracking_instance_info`), and the workers' counts are summed.
 */
export async function serviceDriverSockets(
  bases: URL[],
  timeoutMs = 5000,
  quiet = 6,
): Promise<number | null> {
  const pages = await scrapeWorkers(bases, timeoutMs, quiet);
  return pages && [...pages.values()].reduce((n, page) => n + parseDriverSockets(page), 0);
}

/**
 * The `/metrics` page of every service process behind `bases`, keyed by the URL's index and the
 * process's `tracking_instance_info` (each worker sharing a URL found as
 * {@linkcode serviceDriverSockets} says); null when an instance does not answer.
 */
export async function scrapeWorkers(
  bases: URL[],
  timeoutMs = 5000,
  quiet = 6,
): Promise<Map<string, string> | null> {
  try {
    const pages = new Map<string, string>();
    await Promise.all(bases.map(async (base, i) => {
      const seen = new Set<string>();
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
          unchanged = seen.has(worker) ? unchanged + 1 : 0;
          seen.add(worker);
          pages.set(`${i}/${worker}`, text);
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

/** The `tracking_open_sockets{route="driver"}` value in a Prometheus text page (0 when absent). */
export function parseDriverSockets(metrics: string): number {
  const m = /^tracking_open_sockets\{[^}]*route="driver"[^}]*\}\s+(\S+)/m.exec(metrics);
  return m ? Number(m[1]) : 0;
}
