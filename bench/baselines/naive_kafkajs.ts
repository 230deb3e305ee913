/**
 * The tutorial approach to "GPS into Kafka": kafkajs, one producer, and
 * `await producer.send()` of one message per fix. Fed the simulator's fixes, it shows what the
 * service's batching buys.
 *
 *   deno task bench:naive [--fixes 20000] [--drivers 1000] [--topic bench-naive]
 *
 * @module
 */
import { Kafka, logLevel } from "kafkajs";
import { parseArgs } from "node:util";
import { BENGALURU_AREA } from "../../sim/area.ts";
import { ensureBroker } from "../ensure_broker.ts";
import { defaultBrokers, ensureTopic } from "../ensure_topic.ts";
import { generateFixes } from "./fix_stream.ts";
import { LatencyHistogram } from "../../sim/latency_histogram.ts";

/** Options of {@linkcode runNaiveKafkajs}. */
export interface NaiveOptions {
  /** Fixes to send (default 20,000). */
  fixes?: number;
  drivers?: number;
  topic?: string;
  brokers?: string[];
  /** Stop early after this many seconds (default 60). */
  maxSeconds?: number;
}

/** The result of {@linkcode runNaiveKafkajs}. */
export interface NaiveResult {
  fixes: number;
  seconds: number;
  fixesPerSec: number;
  sendLatencyMs: { p50: number; p95: number; p99: number; max: number };
  client: string;
}

/** Sends the simulator's fixes one `await producer.send()` at a time and measures fixes/s. */
export async function runNaiveKafkajs(options: NaiveOptions = {}): Promise<NaiveResult> {
  const topic = options.topic ?? "bench-naive";
  const brokers = options.brokers ?? defaultBrokers();
  await ensureTopic(topic, { brokers, partitions: 3 });
  Deno.env.set("KAFKAJS_NO_PARTITIONER_WARNING", "1");
  const kafka = new Kafka({ clientId: "naive-baseline", brokers, logLevel: logLevel.ERROR });
  const producer = kafka.producer();
  await producer.connect();
  const hist = new LatencyHistogram();
  const deadline = performance.now() + (options.maxSeconds ?? 60) * 1000;
  let sent = 0;
  const a = BENGALURU_AREA;
  const t0 = performance.now();
  try {
    for (
      const { driverId, seq, fix } of generateFixes(options.fixes ?? 20_000, {
        drivers: options.drivers ?? 1000,
      })
    ) {
      const region =
        fix.lat < a.minLat || fix.lat > a.maxLat || fix.lon < a.minLon || fix.lon > a.maxLon
          ? "other"
          : fix.lat >= a.splitLat
          ? "north"
          : "south";
      const value = JSON.stringify({ driverId, seq, ...fix, region, receivedAt: Date.now() });
      const s = performance.now();
      await producer.send({ topic, messages: [{ key: driverId, value }] });
      hist.record(performance.now() - s);
      sent++;
      if (s > deadline) break;
    }
  } finally {
    await producer.disconnect();
  }
  const seconds = (performance.now() - t0) / 1000;
  return {
    fixes: sent,
    seconds,
    fixesPerSec: sent / seconds,
    sendLatencyMs: {
      p50: hist.percentile(50),
      p95: hist.percentile(95),
      p99: hist.percentile(99),
      max: hist.percentile(100),
    },
    client: "kafkajs@2.2.4 (acks=-1, one message per awaited send)",
  };
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: { fixes: { type: "string" }, drivers: { type: "string" }, topic: { type: "string" } },
  });
  await ensureBroker();
  const result = await runNaiveKafkajs({
    ...(values.fixes ? { fixes: Number(values.fixes) } : {}),
    ...(values.drivers ? { drivers: Number(values.drivers) } : {}),
    ...(values.topic ? { topic: values.topic } : {}),
  });
  console.log(JSON.stringify(result, null, 2));
}
