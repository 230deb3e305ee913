import assert from "node:assert/strict";
import { Admin } from "@platformatic/kafka";
import { cleanupRun, eventually, KAFKA_BROKERS, runId, runTopics } from "./_support.ts";
import { deleteTopics } from "./_topics.ts";

Deno.test("deleteTopics deletes the topics that exist and skips unknown names", async () => {
  const run = runId();
  const names = [`cleanup-a-${run}`, `cleanup-b-${run}`];
  const admin = new Admin({ clientId: "topics-test", bootstrapBrokers: [KAFKA_BROKERS] });
  try {
    await admin.createTopics({ topics: names, partitions: 1, replicas: 1 });
    await listed(admin, names);
    await deleteTopics(KAFKA_BROKERS, [...names, `never-created-${run}`]);
    const after = await admin.listTopics();
    assert.deepEqual(names.filter((n) => after.includes(n)), []);
    await deleteTopics(KAFKA_BROKERS, names); // nothing left: no error
  } finally {
    await admin.close();
  }
});

Deno.test("cleanupRun deletes the topics a test service of that run created", async () => {
  const run = runId();
  const admin = new Admin({ clientId: "topics-test", bootstrapBrokers: [KAFKA_BROKERS] });
  try {
    await admin.createTopics({ topics: runTopics(run), partitions: 2, replicas: 1 });
    await listed(admin, runTopics(run));
    await cleanupRun(run);
    const after = await admin.listTopics();
    assert.deepEqual(runTopics(run).filter((n) => after.includes(n)), []);
  } finally {
    await admin.close();
  }
});

/**
 * Waits until the broker lists every one of `names`. Its metadata may list a new topic a moment
 * after CreateTopics answers: on a busy machine long enough to fail a CI run once.
 */
async function listed(admin: Admin, names: readonly string[]): Promise<void> {
  await eventually(`${names.join(", ")} listed`, async () => {
    const topics = await admin.listTopics();
    return names.every((n) => topics.includes(n));
  }, 10_000);
}
