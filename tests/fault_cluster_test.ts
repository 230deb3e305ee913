import assert from "node:assert/strict";
import { Admin } from "@platformatic/kafka";
import { connectPostgres } from "../infra/postgres/connect_postgres.ts";
import { DATABASE_URL, runId, testEnv } from "./_support.ts";
import { FaultRig } from "./_fault_rig.ts";
import { KafkaCluster } from "./_kafka_cluster.ts";
import { ServiceProcess } from "./_service_process.ts";

/** The south region's partition, where 19 of the rig's 20 drivers are: the busy one. */
const BUSY_PARTITION = 1;

Deno.test("fault: on a three-broker cluster the leader of a busy partition is SIGKILLed; no driver socket closes, history and the live view go on", async () => {
  const cluster = await KafkaCluster.start({ nodes: 3 });
  const run = runId();
  const sql = connectPostgres(DATABASE_URL);
  let service: ServiceProcess | undefined;
  let rig: FaultRig | undefined;
  try {
    // No KAFKA_REPLICATION_FACTOR: the default is min(3, brokers), here 3.
    service = await ServiceProcess.start({
      ...Deno.env.toObject(),
      ...testEnv(run),
      KAFKA_BROKERS: cluster.brokers,
    });
    const topic = `driver-locations-${run}`;
    const admin = new Admin({
      clientId: "fault-cluster",
      bootstrapBrokers: cluster.brokers.split(","),
    });
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
    const url = `http://127.0.0.1:${service.port}`;
    rig = await FaultRig.start({ urls: () => [url], run });
    await new Promise((r) => setTimeout(r, 2_000));
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
    await rig.close();
    assert.equal(await service.stop("SIGTERM"), 0, service.output);
  } catch (error) {
    console.error(service?.output.split("\n").filter((l) => !/^\s/.test(l)).slice(-60).join("\n"));
    throw error;
  } finally {
    await rig?.close();
    await service?.stop("SIGKILL");
    await sql.end();
    await cluster.close();
  }
});
