import assert from "node:assert/strict";
import { ensureTopics } from "../infra/kafka/ensure_topics.ts";
import { LocationConsumer } from "../infra/kafka/location_consumer.ts";
import { KAFKA_BROKERS, runId } from "./_support.ts";
import { deleteTopics } from "./_topics.ts";

/** A group member in its own process: it joins, says so, and is then killed without leaving. */
const MEMBER_SCRIPT = `
import { Consumer, stringDeserializers } from "@platformatic/kafka";
const [brokers, topic, groupId] = Deno.args;
const consumer = new Consumer({
  clientId: "rejoin-test-member", bootstrapBrokers: [brokers], groupId,
  deserializers: stringDeserializers, sessionTimeout: 12000, rebalanceTimeout: 12000,
  heartbeatInterval: 1000,
});
consumer.on("consumer:group:join", () => console.log("joined"));
await consumer.consume({ topics: [topic], mode: "latest" });
`;

/** Starts the member process; with `untilJoined`, resolves once it has joined the group. */
async function _member(topic: string, groupId: string, untilJoined: boolean) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["eval", "--ext=ts", MEMBER_SCRIPT, KAFKA_BROKERS, topic, groupId],
    cwd: new URL("..", import.meta.url).pathname,
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let out = "";
  while (untilJoined && !out.includes("joined")) {
    const { value, done } = await reader.read();
    if (done) throw new Error("the member process ended before it joined");
    out += value;
  }
  void reader.cancel().catch(() => {});
  return child;
}

// CI caught this: a worker killed with SIGKILL stays in its groups until its session times out, so
// the survivors' rejoin waits; closing a consumer then made the pending rejoin fail, the library
// emitted "error" on a client nobody listened to, and the process crashed while draining.
Deno.test("a LocationConsumer closed while its rejoin waits for a dead member closes cleanly", async () => {
  const topic = `rejoin-${runId()}`;
  const groupId = `rejoin-group-${runId()}`;
  await ensureTopics({ brokers: [KAFKA_BROKERS] }, [{ name: topic, partitions: 2 }]);
  const failures: unknown[] = [];
  const members: Deno.ChildProcess[] = [];
  try {
    const consumer = await LocationConsumer.start({
      kafka: { brokers: [KAFKA_BROKERS] },
      topic,
      groupId,
      mode: "latest",
      onRecords: () => Promise.resolve(),
      onFailure: (error) => failures.push(error),
    });
    const dead = await _member(topic, groupId, true);
    members.push(dead);
    // The member's join made this consumer rejoin; let that settle, then kill the member.
    await new Promise((r) => setTimeout(r, 3_000));
    dead.kill("SIGKILL");
    await dead.status;
    // A second member joins: the group rebalances and waits for the dead one (12 s session), so
    // this consumer's rejoin (at its next heartbeat, within 1 s) hangs.
    members.push(await _member(topic, groupId, false));
    await new Promise((r) => setTimeout(r, 4_000));
    const closing = Date.now();
    await consumer.close();
    // Let the failed rejoin's error surface: it must not be an uncaught error.
    await new Promise((r) => setTimeout(r, 1_000));
    console.log(`closed in ${Date.now() - closing} ms`);
  } finally {
    for (const m of members) {
      try {
        m.kill("SIGKILL");
      } catch { /* already gone */ }
      await m.status;
    }
    await deleteTopics(KAFKA_BROKERS, [topic]);
  }
  assert.deepEqual(failures, [], "a close is not a failure");
});
