/** A fix as the test client sends it. */
export interface TestFix {
  lat: number;
  lon: number;
  ts: number;
}

/** An error frame the server sent. */
export interface ErrorFrame {
  code: string;
  message: string;
  ts?: number;
}

/**
 * A driver app over a real WebSocket: sends frames, records acks and errors, and can reconnect
 * and resend everything after the last ack, as a real client does after a server crash.
 */
export class DriverClient {
  readonly errors: ErrorFrame[] = [];
  ackedTs = 0;
  closeCode: number | undefined;
  #ws: WebSocket | undefined;
  #url: string;
  #headers: HeadersInit | undefined;

  /** `options.headers` go on the handshake (Deno's non-standard option), e.g. an `Origin`. */
  constructor(url: string, token: string, options: { headers?: HeadersInit } = {}) {
    this.#url = `${url}?token=${encodeURIComponent(token)}`;
    this.#headers = options.headers;
  }

  /** Opens the socket; resolves once it is open. */
  async connect(): Promise<void> {
    const ws = this.#headers
      ? new WebSocket(this.#url, { headers: this.#headers })
      : new WebSocket(this.#url);
    this.#ws = ws;
    this.closeCode = undefined;
    ws.onmessage = (event) => {
      const frame = JSON.parse(event.data);
      if (frame.type === "ack") this.ackedTs = Math.max(this.ackedTs, frame.ts);
      if (frame.type === "error") this.errors.push(frame);
    };
    const closed = new Promise<void>((resolve) => ws.addEventListener("close", () => resolve()));
    ws.addEventListener("close", (event) => this.closeCode = event.code);
    this.closed = closed;
    await new Promise<void>((resolve, reject) => {
      ws.onopen = () => resolve();
      ws.onerror = () => reject(new Error(`could not connect to ${this.#url}`));
    });
  }

  /** Settles when the socket closes. */
  closed: Promise<void> = Promise.resolve();

  /** True while the socket is open. */
  get open(): boolean {
    return this.#ws?.readyState === WebSocket.OPEN;
  }

  /** Sends a raw text frame. */
  sendText(text: string): void {
    this.#ws!.send(text);
  }

  /** Sends a binary frame (which the server refuses). */
  sendBinary(bytes: Uint8Array): void {
    this.#ws!.send(bytes);
  }

  /** Sends one fix as a `location` frame. */
  send(fix: TestFix): void {
    this.sendText(JSON.stringify({ type: "location", ...fix }));
  }

  /** Closes the socket and waits for the close. */
  async close(): Promise<void> {
    if (this.#ws && this.#ws.readyState < WebSocket.CLOSING) this.#ws.close();
    await this.closed;
  }
}

/** A plausible track: one fix a second, ~8 m apart, heading north-east from a start point. */
export function track(start: { lat: number; lon: number; ts: number }, count: number): TestFix[] {
  return Array.from({ length: count }, (_, i) => ({
    lat: start.lat + i * 0.00005,
    lon: start.lon + i * 0.00005,
    ts: start.ts + i * 1000,
  }));
}
