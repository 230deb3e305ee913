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
  let queue: Queued[] = [];
  let inFlight = false;
  const flush = async () => {
    inFlight = true;
    while (queue.length > 0) {
      const batch = queue.slice(0, MAX_BATCH);
      queue = queue.slice(batch.length);
      try {
        await producer.send({
          messages: batch.map((q) => ({ topic: a.topic, key: q.key, value: q.value })),
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
    inFlight = false;
  };
  const server = Deno.serve({ port: a.port, hostname: "127.0.0.1", onListen: () => {} }, (req) => {
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
      if (!inFlight) void flush();
    };
    return response;
  });
  announceReady(server.addr.port);
  await untilStopped();
  await server.shutdown();
  await producer.close();
}

if (import.meta.main) await floorIngest(Deno.args);
