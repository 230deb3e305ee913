import assert from "node:assert/strict";
import { Producer, stringSerializers } from "@platformatic/kafka";
import { ensureTopics } from "../infra/kafka/ensure_topics.ts";
import { PartitionTailer } from "../infra/kafka/partition_tailer.ts";
import { TailerSlot } from "../infra/kafka/tailer_slot.ts";
import { eventually, KAFKA_BROKERS, runId } from "./_support.ts";
import { deleteTopics } from "./_topics.ts";

Deno.test("PartitionTailer reads only the partitions it wants, each from the moment it is wanted", async () => {
  const topic = `tailer-${runId()}`;
  const brokers = [KAFKA_BROKERS];
  await ensureTopics({ brokers }, [{ name: topic, partitions: 3 }]);
  const producer = new Producer({
    clientId: "tailer-test",
    bootstrapBrokers: brokers,
    serializers: stringSerializers,
  });
  const send = (partition: number, value: string) =>
    producer.send({ messages: [{ topic, partition, key: value, value }] });
  const seen: string[] = [];
  const tailer = await PartitionTailer.start({
    kafka: { brokers },
    topic,
    clientId: "tailer-test",
    onRecords: (partition, values) => {
      for (const v of values) seen.push(`${partition}:${v}`);
    },
  });
  try {
    await send(0, "before");
    tailer.want([0]);
    // The tailer starts at the end: wait until a probe shows it is reading, then send for real.
    await _untilReading(seen, (v) => send(0, v), "0");
    await send(0, "a0");
    await send(1, "a1");
    await eventually("a0", () => Promise.resolve(seen.includes("0:a0")));
    tailer.want([0, 1]);
    await _untilReading(seen, (v) => send(1, v), "1");
    await send(1, "b1");
    await send(2, "b2");
    await send(0, "b0");
    await eventually(
      "b0 and b1",
      () => Promise.resolve(seen.includes("0:b0") && seen.includes("1:b1")),
    );
    assert.ok(!seen.includes("1:a1"), "a record sent before partition 1 was wanted is not read");
    assert.ok(!seen.some((s) => s.startsWith("2:")), "partition 2 is never read");
    assert.ok(!seen.includes("0:before"));
    assert.deepEqual(seen.filter((s) => s.startsWith("0:") && !s.includes("probe")), [
      "0:a0",
      "0:b0",
    ]);
    tailer.want([1]);
    const mark = seen.length;
    await send(0, "c0");
    await send(1, "c1");
    await eventually("c1", () => Promise.resolve(seen.includes("1:c1")));
    assert.deepEqual(seen.slice(mark).filter((s) => s.startsWith("0:")), []);
  } finally {
    await tailer.close();
    await producer.close();
    await deleteTopics(KAFKA_BROKERS, [topic]);
  }
});

/** The tailer starts at the end: sends probes until one is read, so later sends are seen. */
async function _untilReading(seen: string[], send: (v: string) => Promise<unknown>, p: string) {
  let n = 0;
  await eventually(`the tailer to read partition ${p}`, async () => {
    await send(`probe${++n}`);
    return seen.some((s) => s.startsWith(`${p}:probe`));
  });
}

Deno.test("PartitionTailer with keep hands on only the records whose key it keeps", async () => {
  const topic = `tailer-keep-${runId()}`;
  const brokers = [KAFKA_BROKERS];
  await ensureTopics({ brokers }, [{ name: topic, partitions: 1 }]);
  const producer = new Producer({
    clientId: "tailer-keep-test",
    bootstrapBrokers: brokers,
    serializers: stringSerializers,
  });
  const send = (key: string, value: string) =>
    producer.send({ messages: [{ topic, partition: 0, key, value }] });
  const seen: string[] = [];
  const kept = new Set(["probe", "d1"]);
  const tailer = await PartitionTailer.start({
    kafka: { brokers },
    topic,
    clientId: "tailer-keep-test",
    keep: (key) => kept.has(key),
    onRecords: (_partition, values) => void seen.push(...values),
  });
  try {
    tailer.want([0]);
    let n = 0;
    await eventually("the tailer to read", async () => {
      await send("probe", `probe${++n}`);
      return seen.some((v) => v.startsWith("probe"));
    });
    await send("d2", "x1");
    await send("d1", "y1");
    await eventually("y1", () => Promise.resolve(seen.includes("y1"))); // so x1 was judged
    kept.add("d2"); // the filter is asked per record, so a newly kept key counts from now on
    await send("d2", "x2");
    await send("d3", "z1");
    await send("d1", "y2");
    await eventually("y2", () => Promise.resolve(seen.includes("y2")));
    assert.deepEqual(seen.filter((v) => !v.startsWith("probe")), ["y1", "x2", "y2"]);
  } finally {
    await tailer.close();
    await producer.close();
    await deleteTopics(KAFKA_BROKERS, [topic]);
  }
});

Deno.test("TailerSlot: a rebuilt tailer goes on from where the failed one stopped, missing nothing", async () => {
  const topic = `tailer-slot-${runId()}`;
  const brokers = [KAFKA_BROKERS];
  await ensureTopics({ brokers }, [{ name: topic, partitions: 1 }]);
  const producer = new Producer({
    clientId: "tailer-slot-test",
    bootstrapBrokers: brokers,
    serializers: stringSerializers,
  });
  const send = (value: string) => producer.send({ messages: [{ topic, partition: 0, value }] });
  const seen: string[] = [];
  const slot = new TailerSlot({
    kafka: { brokers },
    topic,
    clientId: "tailer-slot-test",
    onRecords: (_partition, values) => void seen.push(...values),
  });
  slot.want([0]);
  let running = await slot.open(() => {});
  try {
    // The first build starts at the end: probe until it reads.
    let n = 0;
    await eventually("the first build reading", async () => {
      await send(`probe${++n}`);
      return seen.length > 0;
    });
    await send("a");
    await eventually("a", () => Promise.resolve(seen.includes("a")));
    await running.close();
    // Published while no tailer runs: the next build must still show it.
    await send("between");
    running = await slot.open(() => {});
    await send("b");
    await eventually("b", () => Promise.resolve(seen.includes("b")));
    assert.deepEqual(seen.filter((v) => !v.startsWith("probe")), ["a", "between", "b"]);
  } finally {
    await running.close();
    await producer.close();
    await deleteTopics(KAFKA_BROKERS, [topic]);
  }
});
