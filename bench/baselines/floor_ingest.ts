/**
 * Floor, ingest stage: the least a server can do for the driver protocol. `Deno.serve` and
 * `Deno.upgradeWebSocket` on `/ws/driver`; each `location` frame is parsed and queued; queued
 * fixes go to Kafka in one `send` of `@platformatic/kafka` (idempotent, acks=all, as the service's)
 * while the previous batch is in flight; once a batch's send resolves, each socket in it gets one
 * cumulative `{"type":"ack","ts":T}`. No actors, no validation, no consumers.
 *
 *   deno run -A bench/baselines/floor_ingest.ts --port 18090 --topic bench-floor-x
 *
 * Prints `{"ready":true,"port":N}` on stdout once it listens; stops on SIGTERM.
 *
 * @module
 */
import { Producer, stringSerializers } from "@platformatic/kafka";
import { announceReady, parseStageArgs, tokenSubject, untilStopped } from "./_stage_io.ts";

interface Queued {
  ws: WebSocket;
  ts: number;
  key: string;
  value: string;
}

/** Largest batch handed to one send (the service's publisher default). */
const MAX_BATCH = 5000;

/** Runs the floor's ingest stage until SIGTERM. */
export async function floorIngest(args: string[]): Promise<void> {
  const a = parseStageArgs(args);
  const producer = new Producer({
    clientId: "bench-floor-ingest",
    bootstrapBrokers: a.brokers,
    serializers: stringSerializers,
    idempotent: true,
  });
  const queue = new _SendQueue(producer, a.topic);
  const server = Deno.serve(
    { port: a.port, hostname: "127.0.0.1", onListen: () => {} },
    (req) => _upgrade(req, queue),
  );
  announceReady(server.addr.port);
  await untilStopped();
  await server.shutdown();
  await producer.close();
}

/**
 * Fixes on their way to Kafka: queued, and sent in batches of at most {@linkcode MAX_BATCH},
 * one batch in flight at a time; each socket of a sent batch gets one cumulative ack.
 */
class _SendQueue {
  readonly #producer: Producer<string, string, string, string>;
  readonly #topic: string;
  #queue: Queued[] = [];
  #inFlight = false;

  constructor(producer: Producer<string, string, string, string>, topic: string) {
    this.#producer = producer;
    this.#topic = topic;
  }

  /** Queues a fix; starts sending unless a batch is in flight (the next one follows it). */
  push(q: Queued): void {
    this.#queue.push(q);
    if (!this.#inFlight) void this.#flush();
  }

  async #flush(): Promise<void> {
    this.#inFlight = true;
    while (this.#queue.length > 0) {
      const batch = this.#queue.slice(0, MAX_BATCH);
      this.#queue = this.#queue.slice(batch.length);
      try {
        await this.#producer.send({
          messages: batch.map((q) => ({ topic: this.#topic, key: q.key, value: q.value })),
        });
      } catch (error) {
        console.error(`floor ingest: send failed: ${(error as Error).message}`);
        continue; // the fixes stay unacked, as the service would leave them
      }
      const acks = new Map<WebSocket, number>();
      for (const q of batch) acks.set(q.ws, Math.max(acks.get(q.ws) ?? 0, q.ts));
      for (const [ws, ts] of acks) {
        if (ws.readyState === WebSocket.OPEN) ws.send(`{"type":"ack","ts":${ts}}`);
      }
    }
    this.#inFlight = false;
  }
}

/** `/ws/driver` with a driver's token: the socket, each `location` frame of it queued. */
function _upgrade(req: Request, queue: _SendQueue): Response {
  if (new URL(req.url).pathname !== "/ws/driver") {
    return new Response("not found", { status: 404 });
  }
  const driverId = tokenSubject(req);
  if (!driverId) return new Response("unauthorized", { status: 401 });
  const { socket, response } = Deno.upgradeWebSocket(req);
  socket.onmessage = (e) => {
    let m: { type?: unknown; ts?: unknown };
    try {
      m = JSON.parse(String(e.data));
    } catch {
      return;
    }
    if (m.type !== "location" || typeof m.ts !== "number") return;
    queue.push({
      ws: socket,
      ts: m.ts,
      key: driverId,
      value: JSON.stringify({ driverId, ...m, receivedAt: Date.now() }),
    });
  };
  return response;
}

if (import.meta.main) await floorIngest(Deno.args);
