import assert from "node:assert/strict";
import { type CpuProfile, summarizeProfile } from "./cpu_profile.ts";

const frame = (functionName: string, url: string, lineNumber = 0) => ({
  functionName,
  url,
  lineNumber,
});

Deno.test("summarizeProfile ranks self time by function and by file, in ms and shares", () => {
  const root = new URL("../../", import.meta.url).href;
  const profile: CpuProfile = {
    startTime: 0,
    endTime: 1_000_000, // 1 s in µs, over 100 samples: 10 ms each
    nodes: [
      { id: 1, callFrame: frame("(root)", ""), hitCount: 0 },
      { id: 2, callFrame: frame("(idle)", ""), hitCount: 50 },
      { id: 3, callFrame: frame("receive", `${root}actors/driver_actor.ts`, 27), hitCount: 30 },
      { id: 4, callFrame: frame("#accept", `${root}actors/driver_actor.ts`, 66), hitCount: 5 },
      {
        id: 5,
        callFrame: frame("parse", "file:///x/npm/registry.npmjs.org/zod/4.6.7/a.js", 9),
        hitCount: 15,
      },
    ],
  };
  const s = summarizeProfile(profile, 3);
  assert.equal(s.totalMs, 1000);
  assert.deepEqual(s.functions.map((f) => [f.name, f.ms, f.share]), [
    ["(idle) ((idle))", 500, 50],
    ["receive actors/driver_actor.ts:28", 300, 30],
    ["parse npm:zod/4.6.7/a.js:10", 150, 15],
  ]);
  assert.deepEqual(s.files.map((f) => [f.file, f.ms]), [
    ["((idle))", 500],
    ["actors/driver_actor.ts", 350],
    ["npm:zod/4.6.7/a.js", 150],
  ]);
});
