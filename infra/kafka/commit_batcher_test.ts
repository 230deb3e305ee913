import assert from "node:assert/strict";
import FakeTimers from "@sinonjs/fake-timers";
import { CommitBatcher, type Committable } from "./commit_batcher.ts";

function records(sent: string[], fail = false) {
  return (partition: number, offset: number): Committable => ({
    partition,
    offset: BigInt(offset),
    commit: () => {
      sent.push(`${partition}@${offset}`);
      return fail ? Promise.reject(new Error("broker gone")) : Promise.resolve();
    },
  });
}

Deno.test("CommitBatcher sends the newest requested commit of each partition once per interval", async () => {
  const clock = FakeTimers.install({ toFake: ["setTimeout", "clearTimeout"] });
  const sent: string[] = [];
  const at = records(sent);
  const batcher = new CommitBatcher({ groupId: "g", intervalMs: 1_000 });
  try {
    batcher.request(at(0, 5));
    batcher.request(at(0, 9));
    batcher.request(at(1, 3));
    batcher.request(at(0, 7)); // older than what is held: ignored
    clock.tick(999);
    assert.deepEqual(sent, [], "nothing before the interval");
    clock.tick(1);
    await clock.runMicrotasks?.();
    await Promise.resolve();
    assert.deepEqual(sent.sort(), ["0@9", "1@3"], "one commit per partition, the newest");
    batcher.request(at(1, 4));
    await batcher.flush();
    assert.deepEqual(sent.sort(), ["0@9", "1@3", "1@4"], "flush sends at once");
    batcher.request(at(2, 1));
    batcher.drop();
    clock.tick(5_000);
    await Promise.resolve();
    assert.equal(sent.length, 3, "dropped: never sent");
  } finally {
    clock.uninstall();
  }
});

Deno.test("CommitBatcher with interval 0 sends each request at once; a failed commit is logged, not thrown", async () => {
  const sent: string[] = [];
  const batcher = new CommitBatcher({ groupId: "g", intervalMs: 0 });
  batcher.request(records(sent)(0, 1));
  await batcher.flush(); // waits for the commits under way
  assert.deepEqual(sent, ["0@1"]);
  const failing = new CommitBatcher({ groupId: "g", intervalMs: 0 });
  failing.request(records(sent, true)(0, 2));
  await failing.flush();
  assert.deepEqual(sent, ["0@1", "0@2"]);
});
