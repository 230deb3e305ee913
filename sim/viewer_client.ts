import { type Area, BENGALURU_AREA } from "./area.ts";
import type { JwtSigner } from "./jwt_signer.ts";
import { createRng } from "./rng.ts";
import type { SimStats } from "./sim_stats.ts";

/** Options of {@linkcode startViewers}; defaults in {@linkcode VIEWER_DEFAULTS}. */
export interface ViewerOptions {
  /** viewers: the customers of the first `count` orders watch them */
  count: number;
  /** orders created and assigned, to drivers 0 .. orders-1 (default `count`; at least `count`) */
  orders?: number;
  /**
   * service base URLs (http): viewer i uses `bases[(i + 1) % n]`, so with several instances a
   * customer watches from another instance than the one its driver is connected to
   */
  bases: URL[];
  signer: JwtSigner;
  /** token expiry, epoch seconds */
  exp: number;
  stats: SimStats;
  /** viewer i follows the order assigned to driver `${driverPrefix}-${i}` */
  driverPrefix: string;
  /** where pickups and drop-offs lie (the simulated drivers' area) */
  area?: Area;
  /** viewers set up (order created, assigned, socket opened) at the same time */
  concurrency?: number;
}

/** Defaults of {@linkcode ViewerOptions}. */
export const VIEWER_DEFAULTS: Required<Pick<ViewerOptions, "area" | "concurrency">> = Object
  .freeze({ area: BENGALURU_AREA, concurrency: 16 });

/** Customer viewers, started: {@linkcode ViewerSet.stop} closes them. */
export interface ViewerSet {
  /**
   * Waits for the order set-ups still under way ({@linkcode SETUP_GRACE_MS} at most), then stops
   * setting up viewers, closes every socket normally and waits (3 s at most).
   */
  stop(): Promise<void>;
}

/** How long {@linkcode ViewerSet.stop} waits for order set-ups still under way. */
const SETUP_GRACE_MS = 20_000;

/**
 * Customer viewers on `GET /ws/orders/:orderId`. For each of `orders` orders (the viewers', and
 * orders nobody watches, which still feed the notifier) the simulator acts as `ops`: it creates
 * order i (`POST /orders`, pickup in the south region and drop-off in the north one, so the
 * service reads both partitions for it) and assigns it to driver i (`POST /orders/:id/assign`);
 * for i < `count` a viewer then watches it with the order's `customer` token. Frames are counted
 * by type; a `location` frame's age on arrival (now − its `ts`, which the simulator sets to the
 * send time) goes to the viewer-latency histogram. Failures count as errors: `viewer_setup_failed`, `viewer_connect_failed`,
 * `viewer_close_<code>` (closed by the server), `viewer_<code>` (an `error` frame).
 */
export function startViewers(o: ViewerOptions): ViewerSet {
  const { area, concurrency } = { ...VIEWER_DEFAULTS, ...o };
  const orders = Math.max(o.count, o.orders ?? 0);
  const s = o.stats;
  const sockets = new Set<WebSocket>();
  const abort = new AbortController();
  const stopped = abort.signal;
  let next = 0;
  let logged = false;
  // Every order set up (or failed): stop() waits for it, so a busy service that answers the
  // set-ups slowly still gets every order before the viewers are stopped.
  let settled = 0;
  const allSetUp = Promise.withResolvers<void>();
  if (orders === 0) allSetUp.resolve();

  const setUp = async (i: number): Promise<string | undefined> => {
    try {
      return await _createOrder(o, i, area, stopped);
    } catch (error) {
      if (stopped.aborted) return undefined;
      s.error("viewer_setup_failed");
      if (!logged) console.error(`viewer ${i}: setup failed: ${(error as Error).message}`);
      logged = true;
      return undefined;
    }
  };

  const worker = async () => {
    while (!stopped.aborted && next < orders) {
      const i = next++;
      const orderId = await setUp(i);
      if (orderId !== undefined) s.c.ordersAssigned++;
      if (++settled === orders) allSetUp.resolve();
      if (orderId !== undefined && i < o.count && !stopped.aborted) {
        await _watch(o, i, orderId, sockets, stopped);
      }
    }
  };
  const workers = Array.from({ length: Math.min(concurrency, orders) }, worker);

  return {
    async stop() {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const grace = new Promise<void>((r) => timer = setTimeout(r, SETUP_GRACE_MS));
      await Promise.race([allSetUp.promise, grace]);
      clearTimeout(timer);
      abort.abort();
      await Promise.all(workers);
      for (const ws of sockets) if (ws.readyState <= WebSocket.OPEN) ws.close(1000);
      const end = performance.now() + 3000;
      while (performance.now() < end && sockets.size > 0) {
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}

/** Creates order i as ops and assigns it to driver i; resolves with the order's id. */
async function _createOrder(
  o: ViewerOptions,
  i: number,
  area: Area,
  stopped: AbortSignal,
): Promise<string> {
  const ops = await o.signer.sign({ sub: `${o.driverPrefix}-ops`, role: "ops", exp: o.exp });
  const order = await _post(
    new URL("/orders", _base(o, i)),
    ops,
    viewerOrder(i, o.driverPrefix, area),
    stopped,
  );
  if (typeof order?.id !== "string") throw new Error("POST /orders: no id in the answer");
  await _post(
    new URL(`/orders/${encodeURIComponent(order.id)}/assign`, _base(o, i)),
    ops,
    { driverId: `${o.driverPrefix}-${i}` },
    stopped,
  );
  return order.id;
}

/**
 * Viewer i watches `orderId` with its customer's token, its socket in `sockets` while open, and
 * counts what it receives; resolves once the handshake is over.
 */
async function _watch(
  o: ViewerOptions,
  i: number,
  orderId: string,
  sockets: Set<WebSocket>,
  stopped: AbortSignal,
): Promise<void> {
  const s = o.stats;
  const customerId = `${o.driverPrefix}-customer-${i}`;
  const token = await o.signer.sign({ sub: customerId, role: "customer", exp: o.exp });
  if (stopped.aborted) return;
  const u = new URL(`/ws/orders/${encodeURIComponent(orderId)}`, _base(o, i));
  u.protocol = u.protocol === "https:" ? "wss:" : "ws:";
  const ws = new WebSocket(u.href, { headers: { authorization: `Bearer ${token}` } });
  sockets.add(ws);
  let opened = false;
  ws.onmessage = (e) => _onViewerFrame(s, e.data);
  // Resolves once the handshake is over, so `concurrency` also bounds handshakes in flight.
  await new Promise<void>((resolve) => {
    ws.onopen = () => {
      opened = true;
      s.c.viewersOpened++;
      resolve();
    };
    ws.onclose = (e) => {
      sockets.delete(ws);
      if (!opened) s.error("viewer_connect_failed");
      else if (!stopped.aborted) s.error(`viewer_close_${e.code}`);
      resolve();
    };
  });
}

/** Counts a viewer's frame by type; a `location`'s age goes to the viewer-latency histogram. */
function _onViewerFrame(s: SimStats, data: unknown): void {
  const frame = (type: string) => s.c.viewerFrames[type] = (s.c.viewerFrames[type] ?? 0) + 1;
  let m: { type?: unknown; ts?: unknown; code?: unknown };
  try {
    m = JSON.parse(String(data));
  } catch {
    frame("unparsable");
    return;
  }
  frame(String(m.type));
  if (m.type === "location" && typeof m.ts === "number") {
    if (m.ts >= s.latencyFrom.wall) s.viewerLatency.record(Date.now() - m.ts);
  } else if (m.type === "error") s.error(`viewer_${String(m.code)}`);
}

/**
 * The `POST /orders` body of viewer i: a restaurant in the south half of `area` and a customer
 * in the north half (seeded per viewer, so runs replay), both well inside the box.
 */
export function viewerOrder(i: number, prefix: string, area: Area = BENGALURU_AREA): {
  restaurantId: string;
  customerId: string;
  pickup: { lat: number; lon: number };
  dropoff: { lat: number; lon: number };
} {
  const r = createRng(0x5eed + i);
  const lon = () => area.minLon + 0.01 + r() * (area.maxLon - area.minLon - 0.02);
  const round = (x: number) => Math.round(x * 1e6) / 1e6;
  return {
    restaurantId: `${prefix}-restaurant-${i % 10}`,
    customerId: `${prefix}-customer-${i}`,
    pickup: {
      lat: round(area.minLat + 0.01 + r() * (area.splitLat - area.minLat - 0.02)),
      lon: round(lon()),
    },
    dropoff: {
      lat: round(area.splitLat + 0.01 + r() * (area.maxLat - area.splitLat - 0.02)),
      lon: round(lon()),
    },
  };
}

function _base(o: ViewerOptions, i: number): URL {
  return o.bases[(i + 1) % o.bases.length]!;
}

async function _post(
  url: URL,
  token: string,
  body: unknown,
  signal: AbortSignal,
): Promise<Record<string, unknown> | undefined> {
  const res = await fetch(url, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
    signal,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`POST ${url.pathname}: ${res.status} ${text.slice(0, 200)}`);
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
