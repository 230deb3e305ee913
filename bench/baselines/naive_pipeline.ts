/**
 * Naive pipeline, ingest stage: what a Kafka tutorial builds. A WebSocket server (`Deno.serve`)
 * whose message handler does one `await producer.send()` of kafkajs per fix (acks=-1, the
 * kafkajs default) and then acks that fix: `{"type":"ack","ts":T}` per message.
 *
 *   deno run -A bench/baselines/naive_pipeline.ts --port 18092 --topic T
 *
 * @module
 */
import { Kafka, logLevel } from "kafkajs";
import { announceReady, parseStageArgs, tokenSubject, untilStopped } from "./_stage_io.ts";

/** Runs the naive pipeline's ingest stage until SIGTERM. */
export async function naivePipeline(args: string[]): Promise<void> {
  const a = parseStageArgs(args);
  Deno.env.set("KAFKAJS_NO_PARTITIONER_WARNING", "1");
  const kafka = new Kafka({
    clientId: "naive-pipeline",
    brokers: a.brokers,
    logLevel: logLevel.ERROR,
  });
  const producer = kafka.producer();
  await producer.connect();
  const server = Deno.serve({ port: a.port, hostname: "127.0.0.1", onListen: () => {} }, (req) => {
    if (new URL(req.url).pathname !== "/ws/driver") {
      return new Response("not found", { status: 404 });
    }
    const driverId = tokenSubject(req);
    if (!driverId) return new Response("unauthorized", { status: 401 });
    const { socket, response } = Deno.upgradeWebSocket(req);
    socket.onmessage = async (e) => {
      const fix = JSON.parse(String(e.data));
      try {
        await producer.send({
          topic: a.topic,
          messages: [{
            key: driverId,
            value: JSON.stringify({ driverId, ...fix, receivedAt: Date.now() }),
          }],
        });
      } catch (error) {
        console.error(`naive pipeline: send failed: ${(error as Error).message}`);
        return;
      }
      if (socket.readyState === WebSocket.OPEN) {
        socket.send(JSON.stringify({ type: "ack", ts: fix.ts }));
      }
    };
    return response;
  });
  announceReady(server.addr.port);
  await untilStopped();
  await server.shutdown();
  await producer.disconnect();
}

if (import.meta.main) await naivePipeline(Deno.args);
