import assert from "node:assert/strict";
import { Producer, stringSerializers } from "@platformatic/kafka";
import { ensureTopics } from "../infra/kafka/ensure_topics.ts";
import { TestBroker } from "./_test_broker.ts";
import { readTopic } from "./_topics.ts";
import { runId } from "./_support.ts";

Deno.test("TestBroker: killed, then restarted twice on its data, it keeps every acked record", async () => {
  const broker = await TestBroker.start();
  const topic = `test-broker-${runId()}`;
  const [host, port] = broker.brokers.split(":");
  const answers = async () => {
    try {
      (await Deno.connect({ hostname: host!, port: Number(port) })).close();
      return true;
    } catch {
      return false;
    }
  };
  const producer = () =>
    new Producer({
      clientId: "test-broker-test",
      bootstrapBrokers: [broker.brokers],
      serializers: stringSerializers,
      idempotent: true,
      retries: 5,
      retryDelay: 200,
    });
  const send = async (from: number, to: number) => {
    const p = producer();
    try {
      await p.send({
        messages: Array.from({ length: to - from }, (_, i) => ({
          topic,
          key: "k",
          value: String(from + i),
        })),
      });
    } finally {
      await p.close();
    }
  };
  try {
    assert.notEqual(broker.brokers, "127.0.0.1:9092");
    await ensureTopics({ brokers: [broker.brokers] }, [{ name: topic, partitions: 1 }]);
    await send(0, 50);
    await broker.kill();
    assert.equal(await answers(), false, "nothing answers once killed");
    await broker.restart();
    assert.equal(await answers(), true);
    await send(50, 100);
    await broker.restart(); // a graceful stop this time, then a start
    await send(100, 150);
    const values = await readTopic(broker.brokers, topic, 150);
    assert.deepEqual(values, Array.from({ length: 150 }, (_, i) => String(i)));
  } finally {
    await broker.close();
  }
});
