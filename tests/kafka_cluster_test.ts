import assert from "node:assert/strict";
import { Admin, ProduceAcks, Producer, stringSerializers } from "@platformatic/kafka";
import { KafkaCluster } from "./_kafka_cluster.ts";
import { readTopic } from "./_topics.ts";
import { runId } from "./_support.ts";

Deno.test("KafkaCluster: a killed leader is replaced and acks=all writes keep working, none lost", async () => {
  const started = Date.now();
  const cluster = await KafkaCluster.start({ nodes: 3 });
  const startMs = Date.now() - started;
  const brokers = cluster.brokers.split(",");
  const topic = `cluster-${runId()}`;
  const producer = new Producer({
    clientId: "cluster-test",
    bootstrapBrokers: brokers,
    serializers: stringSerializers,
    idempotent: true,
    acks: ProduceAcks.ALL,
    retries: 20,
    retryDelay: 250,
  });
  const send = (from: number, to: number) =>
    producer.send({
      messages: Array.from({ length: to - from }, (_, i) => ({
        topic,
        partition: 0,
        key: "k",
        value: String(from + i),
      })),
    });
  try {
    assert.equal(brokers.length, 3);
    const admin = new Admin({ clientId: "cluster-test", bootstrapBrokers: brokers });
    try {
      await admin.createTopics({
        topics: [topic],
        partitions: 1,
        replicas: 3,
        configs: [{ name: "min.insync.replicas", value: "2" }],
      });
      const meta = await admin.metadata({ topics: [topic], forceUpdate: true });
      assert.deepEqual([...(meta.topics.get(topic)?.partitions[0]?.replicas ?? [])].sort(), [
        1,
        2,
        3,
      ]);
    } finally {
      await admin.close();
    }

    await send(0, 100);
    const leader = await cluster.leaderOf(topic, 0);
    assert.ok([1, 2, 3].includes(leader), `leader ${leader}`);
    const killedAt = Date.now();
    await cluster.killNode(leader);
    const next = await cluster.waitForLeader(topic, 0, { not: leader, timeoutMs: 30_000 });
    const electionMs = Date.now() - killedAt;
    assert.notEqual(next, leader);
    assert.ok([1, 2, 3].includes(next));

    // Two of three replicas are left, which min.insync.replicas=2 allows for acks=all.
    await send(100, 200);
    const values = await readTopic(cluster.brokers, topic, 200);
    assert.deepEqual(values, Array.from({ length: 200 }, (_, i) => String(i)));
    console.log(
      `cluster start ${startMs} ms; leader ${leader} killed -> ${next} after ${electionMs} ms`,
    );
  } finally {
    await producer.close();
    await cluster.close();
  }
  await assert.rejects(Deno.stat(cluster.dataDir), Deno.errors.NotFound);
});
