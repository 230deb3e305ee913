import assert from "node:assert/strict";
import { startFleetFeed } from "./fleet_feed.ts";
import { loadConfig } from "../infra/config.ts";
import type { KafkaConnection } from "../infra/kafka/kafka_connection.ts";
import type { RegionOutlines } from "../infra/regions/region_outlines.ts";
import { type FleetFrame, fleetFrameSchema } from "../actors/fleet_viewer.ts";

Deno.test("fleet feed: no stats frame before the active orders are counted, then the count in each", async () => {
  let count: (n: number) => void = () => {};
  const counted = new Promise<number>((resolve) => count = resolve);
  const feed = startFleetFeed({
    config: loadConfig({
      JWT_SECRET: "fleet-feed-test-secret-0123456789abcdef",
      FLEET_UPDATE_MS: "10",
    }),
    kafka: {} as KafkaConnection,
    supervise: () => ({ pause: () => Promise.resolve(), close: () => Promise.resolve() }),
    outlines: { partitionsFor: () => [0] } as unknown as RegionOutlines,
    activeOrders: () => counted,
    activeDriverOrders: () => Promise.resolve([]),
  });
  const frames: FleetFrame[] = [];
  feed.add("s1", { send: (f) => (frames.push(f), true), buffered: () => 0, close: () => {} });
  feed.viewport("s1", [77, 12, 78, 13]);
  try {
    await new Promise((r) => setTimeout(r, 60));
    assert.deepEqual(frames.filter((f) => f.type === "stats"), []);
    count(7);
    await new Promise((r) => setTimeout(r, 60));
    const stats = frames.filter((f) => f.type === "stats");
    assert.ok(stats.length > 0);
    for (const frame of stats) {
      assert.deepEqual(frame, {
        type: "stats",
        driversOnline: 0,
        activeOrders: 7,
        partitions: [0],
      });
      fleetFrameSchema.parse(frame);
    }
  } finally {
    await feed.close();
  }
});
