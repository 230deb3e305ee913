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

/** Options of {@linkcode OpsClient}. */
export interface OpsClientOptions {
  /** Per request, ms (default 10 s). */
  timeoutMs?: number;
  /** Aborts every request in flight (shutdown). */
  signal?: AbortSignal;
}

/**
 * The order REST API as an `ops` principal sees it: create, assign, read. A non-2xx answer
 * throws an `Error` carrying the status and the start of the body.
 */
export class OpsClient {
  #base: URL;
  #token: string;
  #timeoutMs: number;
  #signal: AbortSignal | undefined;

  constructor(base: string | URL, token: string, options: OpsClientOptions = {}) {
    this.#base = new URL(base);
    this.#token = token;
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

  async #call(method: string, path: string, body?: unknown): Promise<ApiOrder> {
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const res = await fetch(new URL(path, this.#base), {
      method,
      headers: {
        authorization: `Bearer ${this.#token}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: this.#signal ? AbortSignal.any([this.#signal, timeout]) : timeout,
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
    return JSON.parse(text) as ApiOrder;
  }
}
