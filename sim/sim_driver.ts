import type { RouteWalker } from "./route_walker.ts";
import type { SimStats } from "./sim_stats.ts";

/** How a {@linkcode SimDriver} reaches the service. */
export interface SimDriverTarget {
  /** `ws://host:port/ws/driver`, possibly with `?token=` already in it. */
  url: string;
  /** Handshake headers (`Authorization: Bearer ...`), or none for `?token=`. */
  headers?: Record<string, string>;
  /** A client bound to a loopback source address (`Deno.createHttpClient({ localAddress })`). */
  client?: Deno.HttpClient;
}

/** Options of {@linkcode SimDriver}. */
export interface SimDriverOptions {
  /**
   * Simulated seconds per real second (default 1): the route is walked this much faster, and the
   * reported `speed` is scaled alike so it matches the fixes' displacement.
   */
  timeScale?: number;
  /** Gets the server's answer to an order event: `{"type":"order","orderId","status"}`. */
  onOrder?: (orderId: string, status: string) => void;
}

/** Fixes the driver keeps waiting for an ack before it forgets the oldest. */
const MAX_PENDING = 4096;
/** Above this many unsent bytes the socket is congested and a fix is skipped. */
const MAX_BUFFERED = 64 * 1024;

/**
 * One simulated driver app: a WebSocket to `/ws/driver`, a {@linkcode RouteWalker} for its
 * position, and the fixes sent but not yet acked, so each cumulative ack yields the latency of
 * every fix it covers.
 */
export class SimDriver {
  readonly id: string;
  #walker: RouteWalker;
  #stats: SimStats;
  #ws: WebSocket | undefined;
  #lastMove = 0;
  #lastTs = 0;
  #pendTs: number[] = [];
  #pendAt: number[] = [];
  #head = 0;
  #everOpened = false;
  #timeScale: number;
  #onOrder: ((orderId: string, status: string) => void) | undefined;

  constructor(id: string, walker: RouteWalker, stats: SimStats, options: SimDriverOptions = {}) {
    this.id = id;
    this.#walker = walker;
    this.#stats = stats;
    this.#timeScale = options.timeScale ?? 1;
    this.#onOrder = options.onOrder;
  }

  /** The driver's route walker (where it is, where it goes). */
  get walker(): RouteWalker {
    return this.#walker;
  }

  /** True while the socket is open. */
  get open(): boolean {
    return this.#ws?.readyState === WebSocket.OPEN;
  }

  /** True while a socket exists that is not yet closed. */
  get active(): boolean {
    return this.#ws !== undefined;
  }

  /** Opens the socket; resolves once it is open or has failed. `onClose` runs on every close. */
  connect(target: SimDriverTarget, onClose?: (code: number) => void): Promise<boolean> {
    const s = this.#stats;
    s.c.connecting++;
    const ws = new WebSocket(target.url, {
      ...(target.headers ? { headers: target.headers } : {}),
      ...(target.client ? { client: target.client } : {}),
    });
    this.#ws = ws;
    let settled = false;
    return new Promise((resolve) => {
      ws.onopen = () => {
        settled = true;
        this.#everOpened = true;
        s.c.connecting--;
        s.c.open++;
        s.c.opened++;
        resolve(true);
      };
      ws.onmessage = (e) => this.#onMessage(e.data);
      ws.onclose = (e) => {
        if (settled) s.c.open--;
        else s.c.connecting--;
        if (!settled) s.error("connect_failed");
        else if (e.code !== 1000) s.error(`close_${e.code}`);
        // Acks are per connection: an ack on the next socket says nothing of fixes that were
        // still unacked on this one (they may never have reached the server). They stay unacked.
        const lost = this.unacked;
        if (lost > 0 && e.code !== 1000) s.error("unacked_at_close", lost);
        this.#pendTs = [];
        this.#pendAt = [];
        this.#head = 0;
        this.#ws = undefined;
        settled = true;
        resolve(false);
        onClose?.(e.code);
      };
    });
  }

  /** Moves the driver to `nowMs` and sends one `location` frame; false when not sent. */
  sendFix(nowMs: number, sentAt: number): boolean {
    const ws = this.#ws;
    const dt = this.#lastMove === 0 ? 1 : (nowMs - this.#lastMove) / 1000;
    this.#lastMove = nowMs;
    this.#walker.advance(Math.min(dt, 60) * this.#timeScale);
    if (!ws || ws.readyState !== WebSocket.OPEN) return false;
    if (ws.bufferedAmount > MAX_BUFFERED) {
      this.#stats.error("backpressure_skipped");
      return false;
    }
    // Fix times must rise strictly per driver (the history key is (driver_id, ts)).
    const ts = Math.max(nowMs, this.#lastTs + 1);
    this.#lastTs = ts;
    const fix = this.#walker.fix(ts);
    if (this.#timeScale !== 1) fix.speed = Math.round(fix.speed * this.#timeScale * 10) / 10;
    ws.send(JSON.stringify({ type: "location", ...fix }));
    if (this.#pendTs.length - this.#head >= MAX_PENDING) this.#head++;
    this.#pendTs.push(ts);
    this.#pendAt.push(sentAt);
    this.#stats.c.sent++;
    return true;
  }

  /**
   * Sends `{"type":"order","orderId","event"}` (picked up, delivered); false when the socket is
   * not open. The server's answer goes to `onOrder`, or counts as an error by its code.
   */
  sendOrderEvent(orderId: string, event: "picked_up" | "delivered"): boolean {
    const ws = this.#ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return false;
    ws.send(JSON.stringify({ type: "order", orderId, event }));
    return true;
  }

  /** Fixes sent and not yet acked. */
  get unacked(): number {
    return this.#pendTs.length - this.#head;
  }

  /** Closes the socket normally (1000). */
  close(): void {
    if (this.#ws && this.#ws.readyState <= WebSocket.OPEN) this.#ws.close(1000, "simulation over");
  }

  #onMessage(data: unknown): void {
    let msg: { type?: string; ts?: number; code?: string; orderId?: string; status?: string };
    try {
      msg = JSON.parse(String(data));
    } catch {
      this.#stats.error("bad_frame");
      return;
    }
    if (msg.type === "ack" && typeof msg.ts === "number") this.#ack(msg.ts);
    else if (msg.type === "order" && typeof msg.orderId === "string") {
      this.#onOrder?.(msg.orderId, String(msg.status));
    } else if (msg.type === "error") this.#stats.error(String(msg.code ?? "unknown"));
  }

  #ack(ts: number): void {
    const now = performance.now();
    const s = this.#stats;
    while (this.#head < this.#pendTs.length && this.#pendTs[this.#head]! <= ts) {
      const sentAt = this.#pendAt[this.#head]!;
      if (sentAt >= s.latencyFrom.perf) {
        s.ackLatency.record(now - sentAt);
        s.wsAckLatency.record(now - sentAt);
      }
      s.c.acked++;
      this.#head++;
    }
    if (this.#head > 1024 && this.#head * 2 > this.#pendTs.length) {
      this.#pendTs = this.#pendTs.slice(this.#head);
      this.#pendAt = this.#pendAt.slice(this.#head);
      this.#head = 0;
    }
  }

  /** True once the socket has been open at least once. */
  get everOpened(): boolean {
    return this.#everOpened;
  }
}
