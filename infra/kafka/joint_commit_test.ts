import assert from "node:assert/strict";
import type { ConsumedLocation } from "../../domain/consumed_location.ts";
import { jointCommit } from "./joint_commit.ts";

function batch(offsets: number[], commits: bigint[], fail = false): ConsumedLocation[] {
  return offsets.map((o) => ({
    record: { driverId: "d1", lat: 0, lon: 0, ts: o, receivedAt: o, region: "r" } as never,
    topic: "t",
    partition: 0,
    offset: BigInt(o),
    commit: () => {
      commits.push(BigInt(o));
      return fail ? Promise.reject(new Error("consumer closed")) : Promise.resolve();
    },
  }));
}

Deno.test("jointCommit commits a record only once every party is done with it", async () => {
  const commits: bigint[] = [];
  const [a, b] = jointCommit(batch([1, 2, 3], commits), 2);
  await a!.at(-1)!.commit();
  assert.deepEqual(commits, [], "one party of two is not enough");
  await b!.at(-1)!.commit();
  assert.deepEqual(commits, [3n]);
  assert.equal(a!.length, 3);
  assert.equal(a![1]!.offset, 2n, "each view keeps the records' fields");
});

Deno.test("jointCommit commits up to the lowest record that every party is done with", async () => {
  const commits: bigint[] = [];
  const [a, b] = jointCommit(batch([1, 2, 3], commits), 2);
  await a![2]!.commit();
  await b![0]!.commit();
  assert.deepEqual(commits, [1n]);
  await b![2]!.commit();
  assert.deepEqual(commits, [1n, 3n]);
  await a![2]!.commit();
  assert.deepEqual(commits, [1n, 3n], "nothing twice");
});

Deno.test("jointCommit never commits what a failed party did not finish", async () => {
  const commits: bigint[] = [];
  const [notifier] = jointCommit(batch([7, 8], commits), 2);
  await notifier!.at(-1)!.commit(); // the other party threw and never commits
  assert.deepEqual(commits, []);
});

Deno.test("jointCommit: the party completing the set sees the real commit's failure", async () => {
  const commits: bigint[] = [];
  const [a, b] = jointCommit(batch([4], commits, true), 2);
  await a![0]!.commit();
  await assert.rejects(b![0]!.commit(), /consumer closed/);
});
