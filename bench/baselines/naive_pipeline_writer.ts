/**
 * Naive pipeline, history stage: a kafkajs consumer with `eachMessage` (auto-commit on, the
 * kafkajs default) that buffers rows and inserts them into PostgreSQL 1,000 at a time, or every
 * second, into the bench's own table. As in the tutorials, offsets are committed whether or not
 * the buffered rows reached PostgreSQL.
 *
 *   deno run -A bench/baselines/naive_pipeline_writer.ts --topic T --group G --table bench_naive_x
 *
 * @module
 */
import { Kafka, logLevel } from "kafkajs";
import postgres from "postgres";
import {
  announceReady,
  insertRows,
  parseRow,
  parseStageArgs,
  type StageRow,
  untilStopped,
} from "./_stage_io.ts";

/** Runs the naive pipeline's history stage until SIGTERM. */
export async function naivePipelineWriter(args: string[]): Promise<void> {
  const a = parseStageArgs(args);
  const sql = postgres(a.databaseUrl, { max: 2, onnotice: () => {} });
  const kafka = new Kafka({
    clientId: "naive-pipeline-writer",
    brokers: a.brokers,
    logLevel: logLevel.ERROR,
  });
  const consumer = kafka.consumer({ groupId: a.group });
  let buffer: StageRow[] = [];
  const flush = async () => {
    const rows = buffer;
    buffer = [];
    await insertRows(sql, a.table, rows).catch((e) => console.error(`naive writer: ${e}`));
  };
  await consumer.connect();
  await consumer.subscribe({ topics: [a.topic], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const row = parseRow(message.value?.toString());
      if (row) buffer.push(row);
      if (buffer.length >= 1000) await flush();
    },
  });
  const timer = setInterval(() => void flush(), 1000);
  announceReady();
  await untilStopped();
  clearInterval(timer);
  await consumer.disconnect();
  await flush();
  await sql.end({ timeout: 5 });
}

if (import.meta.main) await naivePipelineWriter(Deno.args);
