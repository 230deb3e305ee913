/**
 * What the location tailer costs per fix, stage by stage: one process produces location records
 * at a steady rate, another tails every partition as the service's tailer does and stops after a
 * given stage, and reports its own CPU per record over a window.
 *
 *   deno run -A bench/profile/tailer_cost.ts produce --topic T [--rate 5000] [--seconds 120]
 *   deno run -A bench/profile/tailer_cost.ts tail --topic T --stage fetch|decode|index [--seconds 30]
 *     [--min-bytes B --max-wait MS]   (default: the service's live wait, `FETCH_WAITS.live`)
 *
 * Stages: `fetch` (the tailer's fetches and record values as text), `decode` (+ each value parsed
 * and checked as the service does), `index` (+ the fleet index's update). Run the tail stages one
 * after the other against the same producer.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { Producer, stringSerializer } from "@platformatic/kafka";
import { PartitionTailer } from "../../infra/kafka/partition_tailer.ts";
import { LOCATION_RECORD_VERSION } from "../../infra/kafka/record_version.ts";
import {
  decodeLocationRecord,
  encodeLocationRecord,
  fixRecord,
} from "../../domain/location_record.ts";
import { FleetIndex } from "../../actors/fleet_index.ts";
import { FETCH_WAITS, type FetchWait } from "../../infra/kafka/fetch_wait.ts";
import { defaultBrokers, ensureTopic } from "../ensure_topic.ts";

const PARTITIONS = 8;
const DRIVERS = 5000;

async function produce(topic: string, rate: number, seconds: number): Promise<void> {
  await ensureTopic(topic, { partitions: PARTITIONS });
  const producer = new Producer({
    clientId: "tailer-cost-producer",
    bootstrapBrokers: defaultBrokers(),
    serializers: { key: stringSerializer, value: stringSerializer },
  });
  const headers = LOCATION_RECORD_VERSION.headers;
  const tickMs = 20;
  const perTick = Math.round((rate * tickMs) / 1000);
  let seq = 0;
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    const started = Date.now();
    const messages = Array.from({ length: perTick }, () => {
      const n = seq++ % DRIVERS;
      const lat = 12.9 + (n % 100) / 1000 + Math.random() / 10_000;
      const lon = 77.5 + Math.floor(n / 100) / 1000;
      const fix = { lat, lon, ts: started, speed: 8.3, heading: 90, accuracy: 5 };
      const record = fixRecord(fix, `driver-${n}`, seq, "r", started);
      return {
        topic,
        key: record.driverId,
        value: encodeLocationRecord(record),
        partition: n % PARTITIONS,
        headers,
      };
    });
    await producer.send({ messages });
    await new Promise((r) => setTimeout(r, Math.max(0, tickMs - (Date.now() - started))));
  }
  await producer.close();
}

async function tail(
  topic: string,
  stage: string,
  seconds: number,
  fetchWait: FetchWait = FETCH_WAITS.live,
): Promise<void> {
  const index = new FleetIndex();
  let records = 0;
  const tailer = await PartitionTailer.start(
    {
      kafka: { brokers: defaultBrokers() },
      topic,
      clientId: "tailer-cost",
      fetchWait,
      version: LOCATION_RECORD_VERSION,
      onRecords: (_partition, values) => {
        records += values.length;
        if (stage === "fetch") return;
        const fixes = values.map(decodeLocationRecord);
        if (stage === "index") index.update(fixes);
      },
    },
    Array.from({ length: PARTITIONS }, (_, p) => p),
  );
  await new Promise((r) => setTimeout(r, 5_000));
  const before = process.cpuUsage();
  const from = records;
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const used = process.cpuUsage(before);
  const n = records - from;
  const cpuMs = (used.user + used.system) / 1000;
  console.log(JSON.stringify({
    stage,
    records: n,
    perSecond: Math.round(n / seconds),
    cpuMs: Math.round(cpuMs),
    usPerRecord: Math.round((cpuMs * 1000 / n) * 10) / 10,
  }));
  await tailer.close();
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({
    args: Deno.args,
    allowPositionals: true,
    options: {
      topic: { type: "string" },
      rate: { type: "string", default: "5000" },
      seconds: { type: "string" },
      stage: { type: "string", default: "index" },
      "min-bytes": { type: "string" },
      "max-wait": { type: "string" },
    },
  });
  const topic = values.topic ?? "tailer-cost";
  if (positionals[0] === "produce") {
    await produce(topic, Number(values.rate), Number(values.seconds ?? 120));
  } else {
    const minBytes = values["min-bytes"];
    const fetchWait = minBytes === undefined
      ? undefined
      : { minBytes: Number(minBytes), maxWaitMs: Number(values["max-wait"] ?? 100) };
    await tail(topic, values.stage!, Number(values.seconds ?? 30), fetchWait);
  }
  Deno.exit(0);
}
