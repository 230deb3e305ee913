import type { JwtSigner } from "./jwt_signer.ts";
import type { SimStats } from "./sim_stats.ts";

/** Options of {@linkcode startViewers}. */
export interface ViewerOptions {
  count: number;
  /** service base URL (http) */
  base: URL;
  signer: JwtSigner;
  /** token expiry, epoch seconds */
  exp: number;
  stats: SimStats;
  /** viewer i follows the order assigned to driver `${driverPrefix}-${i}` */
  driverPrefix: string;
}

/**
 * Customer viewers on `GET /ws/orders/:orderId`, written against the design's frame shapes
 * (`snapshot`, `location` with `ts`, `status`, `eta`, `notification`). UNTESTED: the order
 * routes do not exist yet. Viewer i creates an order (`POST /orders`) and assigns it to
 * driver i (`POST /orders/:id/assign`), best effort; the request bodies are guesses to adjust
 * when the order API lands. Frames are counted by type; a `location` frame's age (now - ts)
 * goes to the viewer-latency histogram.
 */
export function startViewers(o: ViewerOptions): { stop: () => Promise<void> } {
  const sockets: WebSocket[] = [];
  let stopped = false;
  const s = o.stats;
  const frame = (type: string) => s.c.viewerFrames[type] = (s.c.viewerFrames[type] ?? 0) + 1;
  const start = async (i: number) => {
    const customerId = `${o.driverPrefix}-customer-${i}`;
    const ops = await o.signer.sign({ sub: `${o.driverPrefix}-ops`, role: "ops", exp: o.exp });
    let orderId = `${o.driverPrefix}-order-${i}`;
    try {
      const res = await _post(new URL("/orders", o.base), ops, {
        orderId,
        customerId,
        restaurantId: `${o.driverPrefix}-restaurant-${i % 10}`,
      });
      orderId = String(res?.id ?? res?.orderId ?? orderId);
      await _post(new URL(`/orders/${encodeURIComponent(orderId)}/assign`, o.base), ops, {
        driverId: `${o.driverPrefix}-${i}`,
      });
    } catch {
      s.error("viewer_setup_failed");
    }
    if (stopped) return;
    const token = await o.signer.sign({ sub: customerId, role: "customer", exp: o.exp });
    const u = new URL(`/ws/orders/${encodeURIComponent(orderId)}`, o.base);
    u.protocol = u.protocol === "https:" ? "wss:" : "ws:";
    const ws = new WebSocket(u.href, { headers: { authorization: `Bearer ${token}` } });
    sockets.push(ws);
    ws.onmessage = (e) => {
      let m: { type?: string; ts?: number };
      try {
        m = JSON.parse(String(e.data));
      } catch {
        return frame("unparsable");
      }
      frame(String(m.type));
      if (m.type === "location" && typeof m.ts === "number") {
        s.viewerLatency.record(Date.now() - m.ts);
      }
    };
    ws.onclose = (e) => {
      if (!stopped) s.error(`viewer_close_${e.code}`);
    };
  };
  for (let i = 0; i < o.count; i++) start(i);
  return {
    async stop() {
      stopped = true;
      for (const ws of sockets) if (ws.readyState <= WebSocket.OPEN) ws.close(1000);
      const end = performance.now() + 3000;
      while (performance.now() < end && sockets.some((w) => w.readyState !== WebSocket.CLOSED)) {
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}

async function _post(
  url: URL,
  token: string,
  body: unknown,
): Promise<Record<string, unknown> | undefined> {
  const res = await fetch(url, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${url.pathname}: ${res.status} ${text.slice(0, 200)}`);
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
