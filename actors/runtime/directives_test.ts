import assert from "node:assert/strict";
import { actorKey } from "./actor_key.ts";
import { ActorStoppedError } from "./errors.ts";
import type { Directive } from "./supervision.ts";
import { metricsOf, testSystem } from "./_testing.ts";

type M =
  | { type: "add"; n: number }
  | { type: "fail"; how: Directive }
  | { type: "get"; replyTo: (total: number) => void };

class Failure extends Error {
  constructor(readonly how: Directive) {
    super(how);
  }
}

const COUNTER = actorKey<M>("counter");
const SUPERVISION = { maxRestarts: 5, windowMs: 60_000, backoffMs: 10, maxBackoffMs: 10 };

/** A counter whose failures say which directive they want. */
function counterSystem() {
  const t = testSystem();
  let instances = 0;
  t.system.register(COUNTER, {
    supervision: {
      ...SUPERVISION,
      decide: (error) => error instanceof Failure ? error.how : "restart",
    },
    create: () => {
      instances++;
      let total = 0;
      return {
        receive(m) {
          if (m.type === "add") total += m.n;
          if (m.type === "fail") throw new Failure(m.how);
          if (m.type === "get") m.replyTo(total);
        },
      };
    },
  });
  const ref = t.system.ref(COUNTER, "c");
  const total = () => ref.ask<number>((replyTo) => ({ type: "get", replyTo }));
  return { ...t, ref, total, instances: () => instances };
}

Deno.test("Supervision resume keeps the instance and its state and goes on at once", async () => {
  const t = counterSystem();
  t.ref.tell({ type: "add", n: 2 });
  t.ref.tell({ type: "fail", how: "resume" });
  t.ref.tell({ type: "add", n: 3 });
  assert.equal(await t.total(), 5);
  const m = metricsOf(t.system, "counter");
  assert.deepEqual([t.instances(), m.failures, m.restarts, t.errors.length], [1, 1, 0, 1]);
  await t.system.shutdown();
});

Deno.test("Supervision chooses per error: restart loses the state, resume keeps it", async () => {
  const t = counterSystem();
  t.ref.tell({ type: "add", n: 2 });
  t.ref.tell({ type: "fail", how: "restart" });
  t.ref.tell({ type: "add", n: 3 });
  await t.system.settled();
  t.clock.advance(10);
  assert.equal(await t.total(), 3);
  t.ref.tell({ type: "fail", how: "resume" });
  assert.equal(await t.total(), 3);
  assert.deepEqual([t.instances(), metricsOf(t.system, "counter").restarts], [2, 1]);
  await t.system.shutdown();
});

Deno.test("Supervision stop stops the actor and drops what is queued", async () => {
  const t = counterSystem();
  t.ref.tell({ type: "add", n: 2 });
  t.ref.tell({ type: "fail", how: "stop" });
  const asked = t.total();
  await assert.rejects(asked, ActorStoppedError);
  await t.system.settled();
  assert.equal(t.system.has(COUNTER, "c"), false);
  const m = metricsOf(t.system, "counter");
  assert.deepEqual([m.live, m.restarts, m.failures, m.dropped], [0, 0, 1, 1]);
  assert.equal(t.clock.pending(), 0);
  assert.equal(await t.total(), 0, "a later message activates a new instance");
  await t.system.shutdown();
});

type Job = { type: "job"; n: number; replyTo: (n: number) => void };
const JOBS = actorKey<Job>("jobs");

/** An actor that fails its first `failures` attempts at job 1. */
function retrySystem(failures: number, cancelRetry?: AbortSignal) {
  const t = testSystem();
  const seen: string[] = [];
  let instances = 0;
  t.system.register(JOBS, {
    supervision: {
      ...SUPERVISION,
      backoffMs: 100,
      maxBackoffMs: 250,
      decide: () => "retry",
      ...(cancelRetry && { cancelRetry }),
    },
    create: () => {
      const instance = ++instances;
      return {
        receive(m) {
          seen.push(`${instance}:${m.n}`);
          if (m.n === 1 && failures-- > 0) throw new Error("not yet");
          m.replyTo(m.n);
        },
      };
    },
  });
  const ref = t.system.ref(JOBS, "j");
  const job = (n: number) =>
    ref.ask<number>((replyTo) => ({ type: "job", n, replyTo }), { timeoutMs: Infinity });
  return { ...t, seen, job };
}

Deno.test("Supervision retry hands the same message to the same instance after a growing backoff, in order", async () => {
  const t = retrySystem(3);
  const replies: number[] = [];
  for (const n of [1, 2, 3]) void t.job(n).then((r) => replies.push(r));
  await t.system.settled();
  for (const wait of [100, 200, 250]) {
    t.clock.advance(wait - 1);
    await t.system.settled();
    assert.deepEqual(replies, [], `nothing before ${wait} ms`);
    t.clock.advance(1);
    await t.system.settled();
  }
  assert.deepEqual(replies, [1, 2, 3]);
  assert.deepEqual(t.seen, ["1:1", "1:1", "1:1", "1:1", "1:2", "1:3"]);
  const m = metricsOf(t.system, "jobs");
  assert.deepEqual([m.failures, m.restarts, m.dropped, m.processed], [3, 0, 0, 3]);
  await t.system.shutdown();
});

Deno.test("Supervision retry gives up when cancelRetry aborts: the message fails, the actor stops, nothing after it runs", async () => {
  const cancel = new AbortController();
  const t = retrySystem(Infinity, cancel.signal);
  const first = t.job(1);
  const second = t.job(2);
  await t.system.settled();
  cancel.abort();
  await assert.rejects(first, /not yet/);
  await assert.rejects(second, ActorStoppedError);
  await t.system.settled();
  assert.deepEqual([t.system.has(JOBS, "j"), t.clock.pending()], [false, 0]);
  assert.deepEqual(t.seen, ["1:1"]);
  const m = metricsOf(t.system, "jobs");
  assert.deepEqual([m.restarts, m.dropped, m.failures], [0, 2, 1]);
  // A failure after the abort is not retried either.
  const again = t.job(1);
  await assert.rejects(again, /not yet/);
  assert.deepEqual(t.seen, ["1:1", "2:1"]);
  await t.system.shutdown();
});

Deno.test("Supervision retry waiting at shutdown fails its message at once and stops the actor", async () => {
  const t = retrySystem(Infinity);
  const first = t.job(1);
  const second = t.job(2);
  await t.system.settled();
  await t.system.shutdown();
  await assert.rejects(first, /not yet/);
  await assert.rejects(second, ActorStoppedError);
  assert.deepEqual([t.seen, t.clock.pending()], [["1:1"], 0]);
});

Deno.test("Supervision retry of a stopped actor drops the message it held", async () => {
  const t = retrySystem(Infinity);
  const first = t.job(1);
  await t.system.settled();
  await t.system.stop(JOBS, "j");
  await assert.rejects(first, ActorStoppedError);
  assert.deepEqual([t.system.has(JOBS, "j"), t.clock.pending()], [false, 0]);
  await t.system.shutdown();
});
