import assert from "node:assert/strict";
import { FleetIndex } from "./fleet_index.ts";
import { clusterIndexOf, type FleetFrame, FleetViewer } from "./fleet_viewer.ts";

const BOX = [77.5, 12.9, 77.7, 13.1] as const;
const fix = (driverId: string, lat: number, lon: number, ts: number) => ({
  driverId,
  lat,
  lon,
  ts,
});

function tick(viewer: FleetViewer, index: FleetIndex, expired: string[] = [], maxPoints = 10) {
  return viewer.tick(index, { maxPoints, expired, clusterIndex: () => clusterIndexOf(index) });
}

function ids(frames: FleetFrame[], type: "positions" | "gone"): string[] {
  const f = frames.find((x) => x.type === type);
  if (!f) return [];
  return f.type === "positions"
    ? f.drivers.map((d) => d.driverId)
    : f.type === "gone"
    ? f.driverIds
    : [];
}

Deno.test("FleetViewer sends nothing before the client sends a viewport", () => {
  const index = new FleetIndex();
  index.update([fix("a", 13, 77.6, 1)]);
  assert.deepEqual(tick(new FleetViewer(), index), []);
});

Deno.test("FleetViewer sends each driver inside the viewport once per tick, only when it moved", () => {
  const index = new FleetIndex();
  const viewer = new FleetViewer();
  viewer.viewport(BOX);
  index.update([fix("a", 13, 77.6, 1), fix("b", 13, 77.6, 1), fix("far", 14, 78, 1)]);
  assert.deepEqual(ids(tick(viewer, index), "positions").sort(), ["a", "b"]);
  index.update([fix("a", 13.001, 77.6, 2), fix("a", 13.002, 77.6, 3)]);
  const frames = tick(viewer, index);
  assert.deepEqual(ids(frames, "positions"), ["a"]);
  const positions = frames.find((f) => f.type === "positions");
  assert.equal(positions?.type === "positions" && positions.drivers[0]!.ts, 3, "the newest fix");
  assert.deepEqual(tick(viewer, index), [], "nothing moved");
});

Deno.test("FleetIndex keeps the newer fix when an older one arrives late", () => {
  const index = new FleetIndex();
  index.update([fix("a", 13, 77.6, 5)]);
  assert.equal(index.update([fix("a", 13.5, 77.6, 4)]), 0);
  assert.equal(index.get("a")!.ts, 5);
});

Deno.test("FleetViewer says gone when a driver leaves the viewport or expires", () => {
  const index = new FleetIndex();
  const viewer = new FleetViewer();
  viewer.viewport(BOX);
  index.update([fix("a", 13, 77.6, 1), fix("b", 13, 77.6, 1)]);
  tick(viewer, index);
  index.update([fix("a", 14, 77.6, 2)]);
  const expired = index.expire(100_000, 60_000);
  assert.deepEqual(expired.sort(), ["a", "b"]);
  assert.deepEqual(ids(tick(viewer, index, expired), "gone").sort(), ["a", "b"]);
});

Deno.test("FleetViewer sends clusters above maxPoints, and every point again below it", () => {
  const index = new FleetIndex();
  const viewer = new FleetViewer();
  viewer.viewport(BOX);
  const many = Array.from({ length: 50 }, (_, i) => fix(`d${i}`, 13 + i * 1e-5, 77.6, 1));
  index.update(many);
  const [frame] = tick(viewer, index);
  assert.equal(frame?.type, "clusters");
  const total = frame?.type === "clusters" ? frame.clusters.reduce((n, c) => n + c.count, 0) : 0;
  assert.equal(total, 50, "the clusters count every driver once");
  assert.ok(frame?.type === "clusters" && frame.clusters.length < 50);
  viewer.viewport([77.5, 12.9, 77.7, 13.000055]); // d0..d5
  assert.deepEqual(ids(tick(viewer, index), "positions").sort(), [
    "d0",
    "d1",
    "d2",
    "d3",
    "d4",
    "d5",
  ]);
});

Deno.test("FleetViewer sends a driver again when its state changes, and a state set before its first fix shows with it", () => {
  const index = new FleetIndex();
  const viewer = new FleetViewer();
  viewer.viewport(BOX);
  index.setState("b", "carrying");
  index.update([fix("a", 13, 77.6, 1), fix("b", 13, 77.6, 1)]);
  const first = tick(viewer, index).find((f) => f.type === "positions");
  const states = first?.type === "positions"
    ? Object.fromEntries(first.drivers.map((d) => [d.driverId, d.state]))
    : {};
  assert.deepEqual(states, { a: "idle", b: "carrying" });
  index.setState("a", "to_pickup");
  const frames = tick(viewer, index);
  assert.deepEqual(ids(frames, "positions"), ["a"], "the state changed, not the fix");
  index.setState("a", "idle");
  index.update([fix("a", 13, 77.6, 2)]);
  const again = tick(viewer, index).find((f) => f.type === "positions");
  assert.equal(again?.type === "positions" && again.drivers[0]!.state, "idle");
});
