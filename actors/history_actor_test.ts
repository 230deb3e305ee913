import assert from "node:assert/strict";
import { ActorSystem, VirtualClock } from "./runtime/mod.ts";
import { HISTORY, historyActorKind } from "./history_actor.ts";
import type { ConsumedLocation } from "../domain/consumed_location.ts";
import type { LocationRecord } from "../domain/location_record.ts";
import type { DeadLetter } from "../domain/dead_letter.ts";
import { RowRejectedError } from "../domain/row_rejected_error.ts";
import { configureLogging, resetLogging } from "../lib/log_setup.ts";

class FakeStore {
  batches: LocationRecord[][] = [];
  failuresLeft = 0;
  /** Rows with these seqs are refused as data, as PostgreSQL refuses an out-of-range real. */
  poison = new Set<number>();
  letters: DeadLetter[] = [];
  insertBatch(rows: readonly LocationRecord[]): Promise<number> {
    if (this.failuresLeft > 0) {
      this.failuresLeft--;
      return Promise.reject(new Error("database down"));
    }
    if (rows.some((r) => this.poison.has(r.seq))) {
      return Promise.reject(new RowRejectedError("value out of range for type real"));
    }
    this.batches.push([...rows]);
    return Promise.resolve(rows.length);
  }
  deadLetter(letters: readonly DeadLetter[]): Promise<void> {
    this.letters.push(...letters);
    return Promise.resolve();
  }
}

function records(from: number, count: number, commits: bigint[]): ConsumedLocation[] {
  return Array.from({ length: count }, (_, i) => {
    const offset = BigInt(from + i);
    return {
      record: {
        driverId: "d",
        seq: from + i,
        ts: 1_000 + from + i,
        lat: 1,
        lon: 1,
        region: "r",
        receivedAt: 1,
      },
      topic: "t",
      partition: 0,
      offset,
      commit: () => {
        commits.push(offset);
        return Promise.resolve();
      },
    };
  });
}

async function ticks() {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
}

function setup(options: { flushRows: number; flushMs: number; maxBufferedRows?: number }) {
  const clock = new VirtualClock(0);
  const system = new ActorSystem({ clock });
  const store = new FakeStore();
  system.register(HISTORY, historyActorKind({ store, options }));
  const actor = system.ref(HISTORY, "0");
  const commits: bigint[] = [];
  let released = 0;
  const offer = (from: number, count: number) => {
    actor.ask<void>(
      (replyTo) => ({ type: "records", records: records(from, count, commits), replyTo }),
      {
        timeoutMs: 1e9,
      },
    ).then(() => released++);
  };
  return { clock, system, store, commits, offer, released: () => released, actor };
}

Deno.test("HistoryActor flushes in chunks of flushRows once the buffer reaches it, committing after each", async () => {
  const t = setup({ flushRows: 10, flushMs: 1000 });
  t.offer(0, 6);
  await ticks();
  assert.equal(t.store.batches.length, 0);
  t.offer(6, 6);
  await ticks();
  assert.deepEqual(t.store.batches.map((b) => b.length), [10, 2]);
  assert.deepEqual(t.commits, [9n, 11n]);
  await t.system.shutdown();
});

Deno.test("HistoryActor flushes a partial buffer after flushMs", async () => {
  const t = setup({ flushRows: 100, flushMs: 1000 });
  t.offer(0, 3);
  await ticks();
  t.clock.advance(999);
  await ticks();
  assert.equal(t.store.batches.length, 0);
  t.clock.advance(1);
  await ticks();
  assert.deepEqual(t.store.batches.map((b) => b.length), [3]);
  assert.deepEqual(t.commits, [2n]);
  await t.system.shutdown();
});

Deno.test("HistoryActor keeps rows through failed inserts, retries with backoff, and never commits early", async () => {
  const t = setup({ flushRows: 100, flushMs: 10 });
  t.store.failuresLeft = 2;
  t.offer(0, 5);
  await ticks();
  t.clock.advance(10); // first attempt fails, retry in 100 ms
  await ticks();
  assert.deepEqual(t.commits, []);
  t.clock.advance(99);
  await ticks();
  assert.equal(t.store.batches.length, 0);
  t.clock.advance(1); // second attempt fails, retry in 200 ms
  await ticks();
  t.clock.advance(199);
  await ticks();
  assert.equal(t.store.batches.length, 0);
  assert.deepEqual(t.commits, []);
  t.clock.advance(1); // third attempt succeeds
  await ticks();
  assert.deepEqual(t.store.batches.map((b) => b.map((r) => r.seq)), [[0, 1, 2, 3, 4]]);
  assert.deepEqual(t.commits, [4n]);
  await t.system.shutdown();
});

Deno.test("HistoryActor logs the first failed flush at warn, retries at debug, and the recovery once", async () => {
  const lines: string[] = [];
  configureLogging({ level: "debug", write: (line) => lines.push(line) });
  const t = setup({ flushRows: 100, flushMs: 10 });
  try {
    t.store.failuresLeft = 2;
    t.offer(0, 5);
    await ticks();
    t.clock.advance(10); // fails
    await ticks();
    t.clock.advance(100); // fails again
    await ticks();
    t.clock.advance(200); // stored
    await ticks();
    t.clock.advance(1_000); // nothing more to say
    await ticks();
  } finally {
    await t.system.shutdown();
    resetLogging();
  }
  const parsed = lines.map((l) => JSON.parse(l)).filter((l) => l.logger === "tracking.history");
  assert.deepEqual(
    parsed.map(({ time: _, logger: __, ...rest }) => rest),
    [
      {
        level: "warn",
        message: "history flush failed",
        partition: 0,
        rows: 5,
        attempt: 1,
        error: { message: "database down" },
      },
      {
        level: "debug",
        message: "history flush failed",
        partition: 0,
        rows: 5,
        attempt: 2,
        error: { message: "database down" },
      },
      {
        level: "info",
        message: "history flush recovered",
        partition: 0,
        failedAttempts: 2,
        downMs: 300,
      },
    ],
  );
});

Deno.test("HistoryActor holds the consumer back while its buffer is full", async () => {
  const t = setup({ flushRows: 10, flushMs: 1000, maxBufferedRows: 20 });
  t.store.failuresLeft = 1;
  t.offer(0, 25); // flush fails: 25 rows buffered, over the limit
  await ticks();
  assert.equal(t.released(), 0);
  t.clock.advance(100); // retry succeeds and empties the buffer
  await ticks();
  assert.equal(t.released(), 1);
  assert.deepEqual(t.store.batches.map((b) => b.length), [10, 10, 5]);
  assert.deepEqual(t.commits, [9n, 19n, 24n]);
  await t.system.shutdown();
});

Deno.test("HistoryActor drains everything on request", async () => {
  const t = setup({ flushRows: 100, flushMs: 60_000 });
  t.offer(0, 7);
  await ticks();
  await t.actor.ask<void>((replyTo) => ({ type: "drain", replyTo }));
  assert.deepEqual(t.store.batches.map((b) => b.length), [7]);
  assert.deepEqual(t.commits, [6n]);
  await t.system.shutdown();
});

Deno.test("HistoryActor sets aside the rows the database refuses as data and stores the rest", async () => {
  const t = setup({ flushRows: 10, flushMs: 1000 });
  t.store.poison = new Set([3, 7]);
  t.offer(0, 10);
  await ticks();
  const stored = t.store.batches.flat().map((r) => r.seq).sort((a, b) => a - b);
  assert.deepEqual(stored, [0, 1, 2, 4, 5, 6, 8, 9]);
  assert.deepEqual(t.store.letters.map((l) => [l.topic, l.partition, l.offset]), [
    ["t", 0, 3n],
    ["t", 0, 7n],
  ]);
  assert.equal(JSON.parse(t.store.letters[0]!.payload).seq, 3);
  assert.match(t.store.letters[0]!.error, /out of range/);
  // The partition flows on: the whole chunk is committed, and later records are stored.
  assert.deepEqual(t.commits, [9n]);
  t.offer(10, 10);
  await ticks();
  assert.deepEqual(t.commits, [9n, 19n]);
  await t.system.shutdown();
});

Deno.test("HistoryActor gives up a flush waiting for its retry once stopping aborts: the consumer is failed, nothing committed", async () => {
  const clock = new VirtualClock(0);
  const system = new ActorSystem({ clock, onError: () => {} });
  const store = new FakeStore();
  store.failuresLeft = Infinity;
  const stopping = new AbortController();
  const options = { flushRows: 5, flushMs: 1000 };
  system.register(HISTORY, historyActorKind({ store, options, stopping: stopping.signal }));
  const actor = system.ref(HISTORY, "0");
  const commits: bigint[] = [];
  const offer = (from: number, count: number) =>
    actor.ask<void>(
      (replyTo) => ({ type: "records", records: records(from, count, commits), replyTo }),
      { timeoutMs: Infinity },
    );
  await offer(0, 5); // answered at once; the flush it starts fails and waits for its retry
  const held = offer(5, 5);
  await ticks();
  stopping.abort();
  await assert.rejects(held);
  await system.settled();
  assert.deepEqual([store.batches, commits, system.has(HISTORY, "0")], [[], [], false]);
  await system.shutdown();
});
