import assert from "node:assert/strict";
import { judgePresence, noPresence, type ZonePresence } from "./zone_presence.ts";
import type { ZoneEventKind } from "./zone_event.ts";

const rules = { enterMarginM: 10, exitMarginM: 20 };

/** Runs the rule over distances (one fix a second); returns every event kind in order. */
function walk(distances: readonly number[], dwellMs = 60_000, start = noPresence("z", "d")) {
  let presence: ZonePresence = start;
  const kinds: ZoneEventKind[] = [];
  distances.forEach((distanceM, i) => {
    const change = judgePresence(presence, { ts: 1_000 * (i + 1), distanceM }, { dwellMs, rules });
    if (!change) return;
    presence = change.presence;
    kinds.push(...change.kinds);
  });
  return { presence, kinds };
}

Deno.test("judgePresence: jitter across the edge makes one enter and one exit", () => {
  // Outside, jitter within the margins (no event), deep inside, jitter again, then well out.
  const { kinds, presence } = walk([30, 3, -4, 6, -8, -15, 4, -3, 12, -5, 19, 25, 8, -6, 15]);
  assert.deepEqual(kinds, ["enter", "exit"]);
  assert.equal(presence.inside, false);
  assert.equal(presence.episode, 1);
});

Deno.test("judgePresence: a second visit is episode 2", () => {
  const { kinds, presence } = walk([-20, 30, -20]);
  assert.deepEqual(kinds, ["enter", "exit", "enter"]);
  assert.equal(presence.episode, 2);
  assert.equal(presence.enteredTs, 3_000);
});

Deno.test("judgePresence: dwell once per visit, dwellMs after the enter", () => {
  const { kinds } = walk([-20, -20, -20, -20, -20, -20], 2_000);
  assert.deepEqual(kinds, ["enter", "dwell"]);
  // Enter at 1 s, dwell at the first fix 2 s later (3 s).
  const second = walk([-20, -20, -20], 2_000);
  assert.equal(second.presence.lastTs, 3_000);
});

Deno.test("judgePresence: dwell 0 comes with the enter", () => {
  assert.deepEqual(walk([-20], 0).kinds, ["enter", "dwell"]);
});

Deno.test("judgePresence: a fix not newer than the last change changes nothing", () => {
  const inside: ZonePresence = { ...noPresence("z", "d"), episode: 1, inside: true, lastTs: 5_000 };
  const old = judgePresence(inside, { ts: 5_000, distanceM: 500 }, { dwellMs: 0, rules });
  assert.equal(old, undefined);
  const newer = judgePresence(inside, { ts: 5_001, distanceM: 500 }, { dwellMs: 0, rules });
  assert.deepEqual(newer?.kinds, ["exit"]);
});
