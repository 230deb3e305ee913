import type { JwtSigner } from "./jwt_signer.ts";
import type { PhoneDriver } from "./phone_driver.ts";
import type { SimStats } from "./sim_stats.ts";
import { phoneSourceIp } from "./source_ips.ts";

/** Options of {@linkcode PhoneRegistrar}. */
export interface PhoneRegistrarOptions {
  /** service base URLs (http): phone i registers and posts at `bases[i % n]` */
  bases: readonly URL[];
  signer: JwtSigner;
  /** expiry of the ops token, epoch seconds */
  exp: number;
  /** the ops principal that registers the devices */
  opsSub: string;
  stats: SimStats;
  /** registrations at the same time (default 64) */
  concurrency?: number;
}

/**
 * Registers each phone's device as ops (`POST /drivers/:id/devices`, docs/phones.md), a bounded
 * number at a time (a simulation registers all its phones before its ramp-up), then links the phone to `/osmand` with its key and an HTTP client of its own
 * (one keep-alive HTTP/1.1 connection, from {@linkcode phoneSourceIp}). A phone waiting or being
 * registered counts as `connecting`; a failed registration counts `osmand_setup_failed` (the
 * first is printed) and is tried again after 1–2 s, until {@linkcode PhoneRegistrar.stop}.
 */
export class PhoneRegistrar {
  readonly #o: PhoneRegistrarOptions;
  readonly #queue: { i: number; phone: PhoneDriver }[] = [];
  readonly #retries = new Set<ReturnType<typeof setTimeout>>();
  readonly #abort = new AbortController();
  #running = 0;
  #logged = false;

  constructor(o: PhoneRegistrarOptions) {
    this.#o = o;
  }

  /** Queues the registration of phone `phone`, driver number `i` of the simulation. */
  register(i: number, phone: PhoneDriver): void {
    if (this.#abort.signal.aborted) return;
    this.#o.stats.c.connecting++;
    this.#queue.push({ i, phone });
    this.#next();
  }

  /**
   * Registers every phone of `phones` (`[i, phone]`: driver number, phone) and resolves once none
   * is waiting or being registered (a failed one is still retried after), or `signal` aborts.
   */
  async registerAll(phones: readonly [number, PhoneDriver][], signal?: AbortSignal): Promise<void> {
    for (const [i, phone] of phones) this.register(i, phone);
    while (!signal?.aborted && this.#queue.length + this.#running > 0) {
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Stops registering: drops the queue and the retries, aborts the requests in flight. */
  stop(): void {
    this.#abort.abort();
    this.#o.stats.c.connecting -= this.#queue.length;
    this.#queue.length = 0;
    for (const t of this.#retries) clearTimeout(t);
  }

  #next(): void {
    const concurrency = this.#o.concurrency ?? 64;
    while (this.#running < concurrency && this.#queue.length > 0) {
      const { i, phone } = this.#queue.shift()!;
      this.#running++;
      this.#setUp(i, phone).finally(() => {
        this.#running--;
        this.#next();
      });
    }
  }

  async #setUp(i: number, phone: PhoneDriver): Promise<void> {
    const o = this.#o;
    const base = o.bases[i % o.bases.length]!;
    try {
      const key = await this.#registerDevice(base, phone.id);
      o.stats.c.connecting--;
      const client = Deno.createHttpClient({
        localAddress: phoneSourceIp(i),
        poolMaxIdlePerHost: 1,
        http2: false,
      });
      phone.link({ url: new URL("/osmand", base), key, client });
    } catch (error) {
      o.stats.c.connecting--;
      if (this.#abort.signal.aborted) return;
      o.stats.error("osmand_setup_failed");
      if (!this.#logged) console.error(`phone ${phone.id}: setup failed: ${String(error)}`);
      this.#logged = true;
      const t = setTimeout(() => {
        this.#retries.delete(t);
        this.register(i, phone);
      }, 1000 + Math.random() * 1000);
      this.#retries.add(t);
    }
  }

  /** `POST /drivers/:id/devices` as ops; the key it answers. */
  async #registerDevice(base: URL, driverId: string): Promise<string> {
    const o = this.#o;
    const ops = await o.signer.sign({ sub: o.opsSub, role: "ops", exp: o.exp });
    const url = new URL(`/drivers/${encodeURIComponent(driverId)}/devices`, base);
    const res = await fetch(url, {
      method: "POST",
      headers: { authorization: `Bearer ${ops}` },
      signal: this.#abort.signal,
    });
    const text = await res.text();
    if (res.status !== 201) throw new Error(`POST ${url.pathname}: ${res.status} ${text}`);
    const key = (JSON.parse(text) as { key?: unknown }).key;
    if (typeof key !== "string") throw new Error(`POST ${url.pathname}: no key in the answer`);
    return key;
  }
}
