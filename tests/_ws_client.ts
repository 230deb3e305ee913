/** A frame as received, with its arrival time (epoch ms). */
export interface Received {
  // deno-lint-ignore no-explicit-any
  readonly frame: any;
  readonly at: number;
}

/** A WebSocket test client that records every JSON frame with its arrival time. */
export class WsClient {
  readonly received: Received[] = [];
  closeCode: number | undefined;
  closed: Promise<void> = Promise.resolve();
  #ws: WebSocket | undefined;

  /** Connects to `url` with `token`; resolves when open, rejects when refused. */
  static async connect(url: string, token: string): Promise<WsClient> {
    const client = new WsClient();
    const ws = new WebSocket(`${url}?token=${encodeURIComponent(token)}`);
    client.#ws = ws;
    ws.onmessage = (event) =>
      client.received.push({ frame: JSON.parse(event.data), at: Date.now() });
    client.closed = new Promise((resolve) => {
      ws.addEventListener("close", (event) => {
        client.closeCode = event.code;
        resolve();
      });
    });
    await new Promise<void>((resolve, reject) => {
      ws.onopen = () => resolve();
      ws.onerror = () => reject(new Error(`could not connect to ${url}`));
    });
    return client;
  }

  /** Frames of one type, in arrival order. */
  // deno-lint-ignore no-explicit-any
  frames(type: string): any[] {
    return this.received.filter((r) => r.frame.type === type).map((r) => r.frame);
  }

  /** Sends one JSON frame. */
  send(frame: unknown): void {
    this.#ws!.send(JSON.stringify(frame));
  }

  /** Closes (if open) and waits for the close. */
  async close(): Promise<void> {
    if (this.#ws && this.#ws.readyState < WebSocket.CLOSING) this.#ws.close();
    await this.closed;
  }
}
