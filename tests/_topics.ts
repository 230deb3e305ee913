import { Admin, Consumer, stringDeserializers } from "@platformatic/kafka";

/**
 * Deletes the named topics through the admin client and resolves once the broker no longer lists
 * them. Names that do not exist are skipped, so a test can call it in `finally` whether or not it
 * got as far as creating them. Throws when a topic that exists is still listed after 10 s.
 *
 * @param brokers Comma-separated bootstrap list, e.g. `127.0.0.1:9092`.
 * @param names Topic names.
 */
export async function deleteTopics(brokers: string, names: readonly string[]): Promise<void> {
  if (names.length === 0) return;
  const admin = new Admin({
    clientId: "test-topic-cleanup",
    bootstrapBrokers: brokers.split(",").map((b) => b.trim()).filter((b) => b !== ""),
    retries: 2,
    retryDelay: 200,
  });
  try {
    const present = await _present(admin, names);
    if (present.length === 0) return;
    let failure: unknown = undefined;
    try {
      await admin.deleteTopics({ topics: present });
    } catch (error) {
      // Someone else may have deleted one in between: only what is still there is a failure.
      failure = error;
    }
    // The broker's metadata lags the controller a little: wait until the topics are gone.
    const deadline = Date.now() + 10_000;
    for (;;) {
      const left = await _present(admin, present);
      if (left.length === 0) return;
      if (Date.now() > deadline) {
        throw new Error(`could not delete topics ${left.join(", ")}`, { cause: failure });
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await admin.close();
  }
}

async function _present(admin: Admin, names: readonly string[]): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  return names.filter((n) => existing.has(n));
}

/**
 * Reads `topic` from its start with a consumer group of its own until `count` records have come
 * (at most 20 s), and returns their values in the order read.
 */
export async function readTopic(brokers: string, topic: string, count: number): Promise<string[]> {
  const consumer = new Consumer({
    clientId: "test-topic-reader",
    groupId: `test-reader-${crypto.randomUUID().slice(0, 8)}`,
    bootstrapBrokers: brokers.split(","),
    deserializers: stringDeserializers,
    maxWaitTime: 100,
  });
  const values: string[] = [];
  try {
    const stream = await consumer.consume({ topics: [topic], mode: "earliest" });
    stream.on("data", (message) => values.push(message.value));
    try {
      for (const deadline = Date.now() + 20_000; values.length < count;) {
        if (Date.now() > deadline) throw new Error(`${values.length} of ${count} records read`);
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await stream.close();
    }
  } finally {
    await consumer.close(true);
  }
  return values;
}
