import assert from "node:assert/strict";
import { watchEventLoopLag } from "./event_loop_lag.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function block(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) { /* hold the thread */ }
}

Deno.test("watchEventLoopLag: a turn that holds the thread shows as one sample at least that late", async () => {
  const samples: number[] = [];
  const watch = watchEventLoopLag({ observe: (s) => samples.push(s), intervalMs: 10 });
  try {
    await sleep(50);
    block(150);
    await sleep(50);
  } finally {
    watch.stop();
  }
  assert.ok(samples.length >= 3, `${samples.length} samples`);
  assert.ok(samples.every((s) => s >= 0));
  // The timer was due at most 10 ms into the block: it ran at least 140 ms late.
  assert.ok(Math.max(...samples) >= 0.14, `largest lag ${Math.max(...samples)} s`);
});

Deno.test("watchEventLoopLag: stop ends sampling, also when called from observe", async () => {
  let count = 0;
  const watch = watchEventLoopLag({
    observe: () => {
      count++;
      watch.stop();
    },
    intervalMs: 5,
  });
  await sleep(60);
  assert.equal(count, 1);
  watch.stop();
});
