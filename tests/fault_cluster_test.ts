import assert from "node:assert/strict";
import { Admin } from "@platformatic/kafka";
import { connectPostgres } from "../infra/postgres/connect_postgres.ts";
import { DATABASE_URL, runId } from "./_support.ts";
import { withRiggedService } from "./_fault_rig.ts";
import { KafkaCluster } from "./_kafka_cluster.ts";

/** The south region's partition, where 19 of the rig's 20 drivers are: the busy one. */
const BUSY_PARTITION = 1;

Deno.test("fault: on a three-broker cluster the leader of a busy partition is SIGKILLed; no driver socket closes, history and the live view go on", async () => {
  const cluster = await KafkaCluster.start({ nodes: 3 });
  const run = runId();
  const topic = `driver-locations-${run}`;
  const sql = connectPostgres(DATABASE_URL);
  try {
    // No KAFKA_REPLICATION_FACTOR: the default is min(3, brokers), here 3.
    await withRiggedService(run, { KAFKA_BROKERS: cluster.brokers }, async (rig) => {
      await _assertReplicated(cluster.brokers, topic);
      const leader = await cluster.leaderOf(topic, BUSY_PARTITION);
      rig.approach(15_000);
      await cluster.killNode(leader);
      const killedAt = Date.now();
      assert.notEqual(await cluster.waitForLeader(topic, BUSY_PARTITION, { not: leader }), leader);
      await new Promise((r) => setTimeout(r, 15_000 - (Date.now() - killedAt)));
      await rig.customerSeesPositionsAfter(Date.now(), 10_000);
      await rig.readyAgain(killedAt, 30_000);
      await rig.finish(sql, 30_000);
      assert.deepEqual(rig.driverCloses, [], "no driver socket was closed");
    });
  } finally {
    await sql.end();
    await cluster.close();
  }
});

/** The service created `topic` with three replicas and `min.insync.replicas` 2. */
async function _assertReplicated(brokers: string, topic: string): Promise<void> {
  const admin = new Admin({ clientId: "fault-cluster", bootstrapBrokers: brokers.split(",") });
  try {
    const metadata = await admin.metadata({ topics: [topic] });
    const partitions = metadata.topics.get(topic)!.partitions;
    assert.ok(partitions.every((p) => p.replicas.length === 3), "three replicas each");
    const [config] = await admin.describeConfigs({
      resources: [{
        resourceType: 2,
        resourceName: topic,
        configurationKeys: ["min.insync.replicas"],
      }],
    });
    assert.equal(config?.configs.find((c) => c.name === "min.insync.replicas")?.value, "2");
  } finally {
    await admin.close();
  }
}
