/**
 * Kafka's own producer ceiling on this machine: `org.apache.kafka.tools.ProducerPerformance`
 * with ~150-byte records and acks=all into a bench topic.
 *
 *   deno task bench:ceiling [--records 500000] [--record-size 150] [--topic bench-ceiling]
 *
 * @module
 */
import { parseArgs } from "node:util";
import { ensureBroker } from "../ensure_broker.ts";
import { defaultBrokers, ensureTopic } from "../ensure_topic.ts";
import {
  parseProducerPerformance,
  type ProducerPerformanceSummary,
} from "./producer_performance.ts";

/** Options of {@linkcode runCeiling}; defaults in {@linkcode CEILING_DEFAULTS}. */
export interface CeilingOptions {
  records?: number;
  recordSize?: number;
  topic?: string;
  partitions?: number;
  brokers?: string[];
  /** Extra producer properties (`key=value`), after `acks=all`. */
  producerProps?: string[];
}

/** Defaults of {@linkcode CeilingOptions}. */
export const CEILING_DEFAULTS = Object.freeze({
  records: 500_000,
  recordSize: 150,
  topic: "bench-ceiling",
  partitions: 3,
});

/** The result of {@linkcode runCeiling}. */
export interface CeilingResult extends ProducerPerformanceSummary {
  topic: string;
  recordSize: number;
  command: string;
  wallSeconds: number;
}

const _ROOT = new URL("../../", import.meta.url).pathname;

/** Runs ProducerPerformance against the broker and returns its parsed summary. */
export async function runCeiling(options: CeilingOptions = {}): Promise<CeilingResult> {
  const o = { ...CEILING_DEFAULTS, brokers: defaultBrokers(), ...options };
  await ensureTopic(o.topic, { brokers: o.brokers, partitions: o.partitions });
  const cp = await _output(["bash", `${_ROOT}tools/kafka/broker.sh`, "classpath"]);
  const args = [
    "-cp",
    cp.trim(),
    `-Dlog4j2.configurationFile=${_ROOT}tools/kafka/log4j2.properties`,
    "org.apache.kafka.tools.ProducerPerformance",
    "--topic",
    o.topic,
    "--num-records",
    String(o.records),
    "--record-size",
    String(o.recordSize),
    "--throughput",
    "-1",
    "--producer-props",
    `bootstrap.servers=${o.brokers.join(",")}`,
    "acks=all",
    ...(o.producerProps ?? []),
  ];
  const t0 = performance.now();
  const out = await _output(["java", ...args]);
  const summary = parseProducerPerformance(out);
  if (!summary) throw new Error(`ProducerPerformance printed no summary:\n${out.slice(-2000)}`);
  return {
    ...summary,
    topic: o.topic,
    recordSize: o.recordSize,
    command: ["java", "-cp", "$(bash tools/kafka/broker.sh classpath)", ...args.slice(3)].join(" "),
    wallSeconds: (performance.now() - t0) / 1000,
  };
}

async function _output(cmd: string[]): Promise<string> {
  const [bin, ...args] = cmd;
  const r = await new Deno.Command(bin!, { args, stdout: "piped", stderr: "piped" }).output();
  const text = new TextDecoder().decode(r.stdout) + new TextDecoder().decode(r.stderr);
  if (!r.success) {
    throw new Error(`${cmd.slice(0, 2).join(" ")} failed (${r.code}):\n${text.slice(-2000)}`);
  }
  return text;
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      records: { type: "string" },
      "record-size": { type: "string" },
      topic: { type: "string" },
    },
  });
  await ensureBroker();
  const result = await runCeiling({
    ...(values.records ? { records: Number(values.records) } : {}),
    ...(values["record-size"] ? { recordSize: Number(values["record-size"]) } : {}),
    ...(values.topic ? { topic: values.topic } : {}),
  });
  console.log(JSON.stringify(result, null, 2));
}
