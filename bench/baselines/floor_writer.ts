/**
 * Floor, history stage: a bare `@platformatic/kafka` consumer (its own group, committed offsets,
 * no autocommit) that inserts what it reads into PostgreSQL in batches (`INSERT ... SELECT FROM
 * unnest(...) ON CONFLICT DO NOTHING`, the service's statement, into the bench's own table), up to
 * 1,000 rows or 1 s, then commits the batch's offsets. No validation, no dead letters, no actors.
 *
 *   deno run -A bench/baselines/floor_writer.ts --topic T --group G --table bench_floor_x
 *
 * @module
 */
import { Consumer, stringDeserializers } from "@platformatic/kafka";
import postgres from "postgres";
import {
  announceReady,
  insertRows,
  parseRow,
  parseStageArgs,
  type StageRow,
  untilStopped,
} from "./_stage_io.ts";

/** Rows per insert at most, and the longest a row waits (the service's history defaults). */
const FLUSH_ROWS = 1000;
const FLUSH_MS = 1000;

/** Runs the floor's history stage until SIGTERM. */
export async function floorWriter(args: string[]): Promise<void> {
  const a = parseStageArgs(args);
  const sql = postgres(a.databaseUrl, { max: 2, onnotice: () => {} });
  const consumer = new Consumer({
    clientId: "bench-floor-writer",
    bootstrapBrokers: a.brokers,
    groupId: a.group,
    deserializers: stringDeserializers,
    autocommit: false,
    maxWaitTime: 100,
  });
  const stream = await consumer.consume({
    topics: [a.topic],
    mode: "committed",
    fallbackMode: "earliest",
    autocommit: false,
  });
  type Msg = { value: string; partition: number; commit(): unknown };
  let rows: StageRow[] = [];
  // The last message per partition is enough to commit the batch.
  let marks = new Map<number, Msg>();
  let busy: Promise<void> | undefined;
  const flush = async (batch: StageRow[], commits: Msg[]) => {
    await insertRows(sql, a.table, batch);
    await Promise.all(commits.map((m) => m.commit()));
  };
  const run = () => {
    if (busy || marks.size === 0) return;
    const batch = rows, commits = [...marks.values()];
    rows = [];
    marks = new Map();
    stream.pause();
    busy = flush(batch, commits).catch((e) => console.error(`floor writer: ${e}`)).finally(() => {
      busy = undefined;
      stream.resume();
      if (rows.length >= FLUSH_ROWS) run();
    });
  };
  stream.on("data", (m: Msg) => {
    const row = parseRow(m.value);
    if (row) rows.push(row);
    marks.set(m.partition, m);
    if (rows.length >= FLUSH_ROWS) run();
  });
  const timer = setInterval(run, FLUSH_MS);
  announceReady();
  await untilStopped();
  clearInterval(timer);
  await busy;
  await stream.close().catch(() => {});
  await consumer.close(true).catch(() => {});
  await sql.end({ timeout: 5 });
}

if (import.meta.main) await floorWriter(Deno.args);
