import assert from "node:assert/strict";
import { frameStage, perFixMicros, type ProfileNode, stageShares } from "./stage_cpu.ts";

const ROOT = "file:///app/";
const short = (url: string) => url.startsWith(ROOT) ? url.slice(ROOT.length) : url;

function node(
  id: number,
  fn: string,
  url: string,
  hitCount: number,
  children: number[] = [],
): ProfileNode {
  return { id, callFrame: { functionName: fn, url, lineNumber: 0 }, hitCount, children };
}

Deno.test("frameStage sorts files into ingest, history and live, and leaves the runtime out", () => {
  assert.equal(frameStage("routes/driver_ws.ts", "onMessage"), "ingest");
  assert.equal(frameStage("actors/driver_actor.ts", "receive"), "ingest");
  assert.equal(frameStage("infra/kafka/location_publisher.ts", "publish"), "ingest");
  assert.equal(frameStage("domain/location_record.ts", "encodeLocationRecord"), "ingest");
  assert.equal(frameStage("domain/location_record.ts", "decodeLocationRecord"), undefined);
  assert.equal(frameStage("domain/fix_filter.ts", "judgeFix"), "ingest");
  assert.equal(frameStage("pipelines/history_pipeline.ts", "onRecords"), "history");
  assert.equal(frameStage("actors/live_router.ts", "receive"), "live");
  assert.equal(frameStage("actors/order_viewers.ts", "position"), "live");
  assert.equal(frameStage("pipelines/live_fanout.ts", "onRecords"), "live");
  assert.equal(frameStage("domain/region_map.ts", "locate"), undefined);
  assert.equal(frameStage("actors/history_actor.ts", "flush"), "history");
  assert.equal(frameStage("npm:postgres/3.4.9/src/connection.js", "x"), "history");
  assert.equal(frameStage("actors/region_actor.ts", "receive"), "live");
  assert.equal(frameStage("routes/viewer_ws.ts", "x"), "live");
  assert.equal(frameStage("actors/runtime/mailbox.ts", "push"), undefined);
  assert.equal(frameStage("lib/log.ts", "info"), undefined);
});

Deno.test("stageShares attributes a sample to the innermost frame with a stage", () => {
  // root -> driver_ws -> runtime -> JSON.parse (leaf): ingest
  // root -> history_actor -> (leaf in npm:postgres): history
  // root -> (garbage collector): shared; root -> inspector bridge: left out; (idle): left out
  const nodes = [
    node(1, "(root)", "", 0, [2, 5, 7, 8, 9]),
    node(2, "onMessage", `${ROOT}routes/driver_ws.ts`, 1, [3]),
    node(3, "deliver", `${ROOT}actors/runtime/mailbox.ts`, 1, [4]),
    node(4, "parse", "", 6),
    node(5, "flush", `${ROOT}actors/history_actor.ts`, 0, [6]),
    node(6, "write", "npm:postgres/3.4.9/src/connection.js", 2),
    node(7, "(garbage collector)", "", 2),
    node(8, "emit", "ext:runtime/inspector_network_bridge.js", 5),
    node(9, "(idle)", "", 100),
  ];
  const s = stageShares(nodes, short);
  assert.equal(s.samples, 12);
  assert.equal(s.inspectorSamples, 5);
  assert.deepEqual(s.share, { ingest: 0.667, history: 0.167, live: 0, shared: 0.167 });
  assert.deepEqual(s.topShared, [{ fn: "(garbage collector)", share: 0.167 }]);
});

Deno.test("perFixMicros spreads the shared part pro rata and divides by each stage's fixes", () => {
  const us = perFixMicros(
    10,
    { ingest: 0.6, history: 0.2, live: 0, shared: 0.2 },
    { ingest: 100_000, history: 50_000, live: 100_000 },
  );
  // ingest: 10 s × (0.6 + 0.2 × 0.75) / 100,000 = 75 µs; history: 10 × 0.25 / 50,000 = 50 µs
  assert.deepEqual(us, { ingest: 75, history: 50 });
});
