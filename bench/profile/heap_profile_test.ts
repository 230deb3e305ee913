import assert from "node:assert/strict";
import { type HeapProfileNode, summarizeHeapProfile } from "./heap_profile.ts";

function node(name: string, url: string, selfSize: number, children: HeapProfileNode[] = []) {
  return { callFrame: { functionName: name, url, lineNumber: 9 }, selfSize, children };
}

Deno.test("summarizeHeapProfile sums self sizes by function across the tree, largest first", () => {
  const root = new URL("../../", import.meta.url).href;
  const head = node("(root)", "", 0, [
    node("accept", `${root}actors/driver_actor.ts`, 3000, [
      node("publish", `${root}infra/kafka/location_publisher.ts`, 1000),
    ]),
    node("(anon)", "", 500, [node("accept", `${root}actors/driver_actor.ts`, 1500)]),
  ]);
  const s = summarizeHeapProfile(head, 2);
  assert.equal(s.totalBytes, 6000);
  assert.deepEqual(s.functions, [
    { name: "accept actors/driver_actor.ts:10", bytes: 4500, share: 75 },
    { name: "publish infra/kafka/location_publisher.ts:10", bytes: 1000, share: 16.7 },
  ]);
});
