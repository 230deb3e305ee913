import { osmandForm } from "./osmand_form.ts";
import type { RouteWalker } from "./route_walker.ts";
import type { SimDriver } from "./sim_driver.ts";
import type { SimStats } from "./sim_stats.ts";

/** Where a registered phone posts: `/osmand` of its instance, with its key and its own client. */
export interface PhoneTarget {
  url: URL;
  /** the device key (`POST /drivers/:id/devices`), sent as `id` */
  key: string;
  /** the phone's own HTTP client: one keep-alive connection, from its own source address */
  client: Deno.HttpClient;
}

/** A simulated driver of either kind: on the driver socket, or a phone on the OsmAnd protocol. */
export type FleetDriver = SimDriver | PhoneDriver;

/** Options of {@linkcode PhoneDriver}. */
export interface PhoneDriverOptions {
  /** Simulated seconds per real second (default 1), as `SimDriverOptions.timeScale`. */
  timeScale?: number;
  /** ms to wait before sending again after a failed request (default 1–2 s, jittered) */
  retryMs?: () => number;
}

/** Fixes a phone keeps in its offline buffer before it forgets the oldest. */
const MAX_BUFFERED = 4096;

interface _Buffered {
  /** `performance.now()` when the fix was taken (its latency runs from there) */
  at: number;
  body: string;
}

/**
 * One simulated phone running Traccar Client 10: each fix goes into its offline buffer, and the
 * buffer is posted oldest first, one form POST at a time over the phone's keep-alive connection
 * (`POST /osmand`, docs/phones.md). A 200 is the ack of that fix (its latency into the ack
 * histograms); any other answer or a network error counts as an error (`osmand_<status>`,
 * `osmand_network`) and the fix stays in the buffer, sent again after a pause, as the app does.
 * Fixes a 200 names in `X-Fixes-Refused` count as `osmand_refused_<code>`.
 */
export class PhoneDriver {
  readonly id: string;
  #walker: RouteWalker;
  #stats: SimStats;
  #timeScale: number;
  #retryMs: () => number;
  #target: PhoneTarget | undefined;
  #buffer: _Buffered[] = [];
  #head = 0;
  #lastMove = 0;
  #lastS = 0;
  #inFlight = false;
  #closed = false;
  #retry: ReturnType<typeof setTimeout> | undefined;

  constructor(id: string, walker: RouteWalker, stats: SimStats, options: PhoneDriverOptions = {}) {
    this.id = id;
    this.#walker = walker;
    this.#stats = stats;
    this.#timeScale = options.timeScale ?? 1;
    this.#retryMs = options.retryMs ?? (() => 1000 + Math.random() * 1000);
  }

  /** The phone's route walker. */
  get walker(): RouteWalker {
    return this.#walker;
  }

  /** True once its device key is registered, until {@linkcode close}. */
  get open(): boolean {
    return this.#target !== undefined && !this.#closed;
  }

  /** True while a request is in flight. */
  get active(): boolean {
    return this.#inFlight;
  }

  /** True once its device key is registered. */
  get everOpened(): boolean {
    return this.#target !== undefined;
  }

  /** Fixes in the buffer: taken and not yet answered 200. */
  get unacked(): number {
    return this.#buffer.length - this.#head;
  }

  /** Starts posting to `target` once its device is registered: it counts as connected. */
  link(target: PhoneTarget): void {
    if (this.#closed) return target.client.close();
    this.#target = target;
    const c = this.#stats.c;
    c.open++;
    c.opened++;
    c.osmandDevices++;
    this.#pump();
  }

  /**
   * Moves the phone to `nowMs` and takes one fix into its buffer (its `timestamp` in whole
   * seconds, strictly rising); false when the phone is not registered yet or closed.
   */
  sendFix(nowMs: number, sentAt: number): boolean {
    const dt = this.#lastMove === 0 ? 1 : (nowMs - this.#lastMove) / 1000;
    this.#lastMove = nowMs;
    this.#walker.advance(Math.min(dt, 60) * this.#timeScale);
    const t = this.#target;
    if (!t || this.#closed) return false;
    const s = Math.max(Math.floor(nowMs / 1000), this.#lastS + 1);
    this.#lastS = s;
    const fix = this.#walker.fix(s * 1000);
    if (this.#timeScale !== 1) fix.speed = Math.round(fix.speed * this.#timeScale * 10) / 10;
    if (this.unacked >= MAX_BUFFERED) {
      this.#head++;
      this.#stats.error("osmand_buffer_full");
    }
    this.#buffer.push({ at: sentAt, body: osmandForm(t.key, fix).toString() });
    this.#stats.c.sent++;
    this.#stats.c.osmandSent++;
    this.#pump();
    return true;
  }

  /** Stops posting; the request in flight ends, then the phone's client is closed. */
  close(): void {
    if (this.#closed) return;
    if (this.open) this.#stats.c.open--;
    this.#closed = true;
    clearTimeout(this.#retry);
    if (!this.#inFlight) this.#target?.client.close();
  }

  /** Posts the buffer, oldest first, one request at a time, until it is empty or one fails. */
  async #pump(): Promise<void> {
    const t = this.#target;
    if (!t || this.#inFlight || this.#retry !== undefined) return;
    this.#inFlight = true;
    try {
      while (!this.#closed && this.#head < this.#buffer.length) {
        if (!(await this.#post(t, this.#buffer[this.#head]!))) {
          if (!this.#closed) {
            this.#retry = setTimeout(() => {
              this.#retry = undefined;
              this.#pump();
            }, this.#retryMs());
          }
          return;
        }
        this.#head++;
        if (this.#head > 1024 && this.#head * 2 > this.#buffer.length) {
          this.#buffer = this.#buffer.slice(this.#head);
          this.#head = 0;
        }
      }
    } finally {
      this.#inFlight = false;
      if (this.#closed) t.client.close();
    }
  }

  /** One form POST of `fix`; true when answered 200 (the fix is acked). */
  async #post(t: PhoneTarget, fix: _Buffered): Promise<boolean> {
    const s = this.#stats;
    let res: Response;
    try {
      res = await fetch(t.url, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: fix.body,
        client: t.client,
      });
      // Read to the end, so the connection is kept for the next request.
      await res.arrayBuffer();
    } catch {
      s.error("osmand_network");
      return false;
    }
    if (!res.ok) {
      s.error(`osmand_${res.status}`);
      return false;
    }
    const now = performance.now();
    if (fix.at >= s.latencyFrom.perf) {
      s.ackLatency.record(now - fix.at);
      s.osmandAckLatency.record(now - fix.at);
    }
    s.c.acked++;
    s.c.osmandAcked++;
    for (const code of res.headers.get("x-fixes-refused")?.split(",") ?? []) {
      if (code) s.error(`osmand_refused_${code}`);
    }
    return true;
  }
}
