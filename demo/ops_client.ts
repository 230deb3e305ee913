/** An order as the REST API returns it (the fields the simulator reads). */
export interface ApiOrder {
  id: string;
  restaurantId: string;
  customerId: string;
  driverId: string | null;
  status: string;
  pickup: { lat: number; lon: number };
  dropoff: { lat: number; lon: number };
}

/** `POST /orders` body. */
export interface NewApiOrder {
  restaurantId: string;
  customerId: string;
  pickup: { lat: number; lon: number };
  dropoff: { lat: number; lon: number };
}

/** What `GET /drivers/nearby` asks (the demo asks for idle drivers only). */
export interface NearbyApiQuery {
  lat: number;
  lon: number;
  radiusM: number;
  limit: number;
}

/** One driver of the `GET /drivers/nearby` answer (the fields the demo reads), nearest first. */
export interface NearbyApiDriver {
  driverId: string;
  distanceM: number;
  state: string;
}

/** `POST /zones` body with a circle (docs/zones.md). */
export interface NewApiZone {
  name: string;
  restaurantId?: string;
  dwellSeconds: number;
  circle: { lat: number; lon: number; radiusMeters: number };
}

/** Options of {@linkcode OpsClient}. */
export interface OpsClientOptions {
  /** A `dispatcher` token for `GET /drivers/nearby` (default: the ops token). */
  dispatcherToken?: string;
  /** Per request, ms (default 10 s). */
  timeoutMs?: number;
  /** Aborts every request in flight (shutdown). */
  signal?: AbortSignal;
}

/**
 * The REST API as the demo's back office sees it: orders and zones as `ops`, the nearest idle
 * drivers as a `dispatcher`. A non-2xx answer throws an `Error` carrying the status and the start
 * of the body.
 */
export class OpsClient {
  #base: URL;
  #token: string;
  #dispatcher: string;
  #timeoutMs: number;
  #signal: AbortSignal | undefined;

  constructor(base: string | URL, token: string, options: OpsClientOptions = {}) {
    this.#base = new URL(base);
    this.#token = token;
    this.#dispatcher = options.dispatcherToken ?? token;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#signal = options.signal;
  }

  /** `POST /orders`. */
  createOrder(order: NewApiOrder): Promise<ApiOrder> {
    return this.#call("POST", "/orders", order);
  }

  /** `POST /orders/:id/assign`. */
  assign(orderId: string, driverId: string): Promise<ApiOrder> {
    return this.#call("POST", `/orders/${encodeURIComponent(orderId)}/assign`, { driverId });
  }

  /** `GET /orders/:id`. */
  order(orderId: string): Promise<ApiOrder> {
    return this.#call("GET", `/orders/${encodeURIComponent(orderId)}`);
  }

  /** `GET /drivers/nearby?state=idle`, as the dispatcher: idle drivers, nearest first. */
  async nearby(q: NearbyApiQuery): Promise<NearbyApiDriver[]> {
    const query = new URLSearchParams({
      lat: q.lat.toFixed(6),
      lon: q.lon.toFixed(6),
      radius_m: String(Math.round(q.radiusM)),
      limit: String(q.limit),
      state: "idle",
    });
    const answer = await this.#call<{ drivers: NearbyApiDriver[] }>(
      "GET",
      `/drivers/nearby?${query}`,
      undefined,
      this.#dispatcher,
    );
    return answer.drivers;
  }

  /** `POST /zones`; resolves with the new zone's id. */
  async createZone(zone: NewApiZone): Promise<string> {
    return (await this.#call<{ id: string }>("POST", "/zones", zone)).id;
  }

  /** `DELETE /zones/:id`; `signal` replaces the client's (a clean stop deletes after it fired). */
  async deleteZone(id: string, signal?: AbortSignal): Promise<void> {
    await this.#call("DELETE", `/zones/${encodeURIComponent(id)}`, undefined, this.#token, signal);
  }

  async #call<T = ApiOrder>(
    method: string,
    path: string,
    body?: unknown,
    token: string = this.#token,
    signal: AbortSignal | undefined = this.#signal,
  ): Promise<T> {
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const res = await fetch(new URL(path, this.#base), {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
    return JSON.parse(text) as T;
  }
}
