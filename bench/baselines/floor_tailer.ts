/**
 * Floor, live-view stage: a bare `@platformatic/kafka` consumer reading the topic from its end
 * (a group of its own, nothing committed) that forwards each fix to the viewer sockets of that
 * driver. It also answers the simulator's viewer set-up with the least it needs: `POST /orders`
 * (an id), `POST /orders/:id/assign` (`{"driverId"}`: the order follows that driver) and
 * `GET /ws/orders/:id` (the socket). No ETA, no statuses, no conflation, no authorization.
 *
 *   deno run -A bench/baselines/floor_tailer.ts --port 18091 --topic T --group G
 *
 * @module
 */
import { Consumer, stringDeserializers } from "@platformatic/kafka";
import { announceReady, parseStageArgs, untilStopped } from "./_stage_io.ts";

/** Runs the floor's live-view stage until SIGTERM. */
export async function floorTailer(args: string[]): Promise<void> {
  const a = parseStageArgs(args);
  const orderDriver = new Map<string, string>();
  const watchers = new Map<string, Set<WebSocket>>();
  let nextOrder = 0;
  const server = Deno.serve(
    { port: a.port, hostname: "127.0.0.1", onListen: () => {} },
    async (req) => {
      const path = new URL(req.url).pathname.split("/").filter(Boolean);
      if (req.method === "POST" && path.length === 1 && path[0] === "orders") {
        await req.body?.cancel();
        return Response.json({ id: `floor-order-${nextOrder++}` }, { status: 201 });
      }
      if (req.method === "POST" && path[0] === "orders" && path[2] === "assign" && path[1]) {
        const { driverId } = await req.json() as { driverId?: unknown };
        if (typeof driverId !== "string") return new Response("no driverId", { status: 400 });
        orderDriver.set(path[1], driverId);
        return Response.json({ id: path[1], driverId });
      }
      const driverId = path[0] === "ws" && path[1] === "orders" && path[2]
        ? orderDriver.get(decodeURIComponent(path[2]))
        : undefined;
      if (!driverId) return new Response("not found", { status: 404 });
      const { socket, response } = Deno.upgradeWebSocket(req);
      const set = watchers.get(driverId) ?? new Set();
      watchers.set(driverId, set.add(socket));
      socket.onclose = () => set.delete(socket);
      return response;
    },
  );
  const consumer = new Consumer({
    clientId: "bench-floor-tailer",
    bootstrapBrokers: a.brokers,
    groupId: a.group,
    deserializers: stringDeserializers,
    autocommit: false,
    maxWaitTime: 100,
  });
  const stream = await consumer.consume({ topics: [a.topic], mode: "latest", autocommit: false });
  stream.on("data", (m: { key: string; value: string }) => {
    const set = watchers.get(m.key);
    if (!set || set.size === 0) return;
    const { lat, lon, ts } = JSON.parse(m.value) as { lat: number; lon: number; ts: number };
    const frame = JSON.stringify({ type: "location", driverId: m.key, lat, lon, ts });
    for (const ws of set) if (ws.readyState === WebSocket.OPEN) ws.send(frame);
  });
  announceReady(server.addr.port);
  await untilStopped();
  await stream.close().catch(() => {});
  await consumer.close(true).catch(() => {});
  await server.shutdown();
}

if (import.meta.main) await floorTailer(Deno.args);
