import assert from "node:assert/strict";
import { actorKey } from "./actor_key.ts";
import { AskTimeoutError, MailboxFullError } from "./errors.ts";
import { testSystem, track } from "./_testing.ts";

type Get = { type: "get"; key: string; replyTo: (value: number) => void };
type Silent = { type: "silent"; replyTo: (value: number) => void };

Deno.test("ActorRef.ask resolves with the reply", async () => {
  const { system, clock } = testSystem();
  system.register(actorKey<Get>("store"), {
    create: () => ({ receive: (m) => m.replyTo(m.key.length) }),
  });
  const value = await system.ref(actorKey<Get>("store"), "s")
    .ask<number>((replyTo) => ({ type: "get", key: "abc", replyTo }));
  assert.equal(value, 3);
  assert.equal(clock.pending(), 0);
  await system.shutdown();
});

Deno.test("ActorRef.ask rejects with AskTimeoutError once the timeout passes on the clock", async () => {
  const { system, clock } = testSystem();
  system.register(actorKey<Silent>("mute"), { create: () => ({ receive() {} }) });
  const asked = system.ref(actorKey<Silent>("mute"), "m")
    .ask<number>((replyTo) => ({ type: "silent", replyTo }), { timeoutMs: 50 });
  const state = track(asked);
  await system.settled();
  clock.advance(49);
  await Promise.resolve();
  assert.equal(state.done, false);
  clock.advance(1);
  await assert.rejects(asked, (error: unknown) => {
    assert.ok(error instanceof AskTimeoutError);
    assert.equal(error.name, "AskTimeoutError");
    assert.deepEqual([error.kind, error.id, error.timeoutMs], ["mute", "m", 50]);
    return true;
  });
  await system.shutdown();
});

Deno.test("ActorRef.ask rejects with the error receive threw while handling it", async () => {
  const { system, errors } = testSystem();
  const failure = new Error("bad key");
  system.register(actorKey<Get>("store"), {
    create: () => ({
      receive(m) {
        if (m.key === "bad") throw failure;
        m.replyTo(1);
      },
    }),
  });
  const ref = system.ref(actorKey<Get>("store"), "s");
  await assert.rejects(ref.ask((replyTo) => ({ type: "get", key: "bad", replyTo })), failure);
  assert.equal(errors[0]?.error, failure);
  await system.shutdown();
});

Deno.test("ActorRef.ask rejects with the signal's reason when aborted", async () => {
  const { system, clock } = testSystem();
  system.register(actorKey<Silent>("mute"), { create: () => ({ receive() {} }) });
  const controller = new AbortController();
  const asked = system.ref(actorKey<Silent>("mute"), "m")
    .ask<number>((replyTo) => ({ type: "silent", replyTo }), { signal: controller.signal });
  await system.settled();
  const reason = new Error("caller gave up");
  controller.abort(reason);
  await assert.rejects(asked, reason);
  assert.equal(clock.pending(), 0);
  await system.shutdown();
});

Deno.test("ActorRef.ask rejects with MailboxFullError when overflow drops its message", async () => {
  const { system } = testSystem();
  system.register(actorKey<Silent>("tiny"), {
    mailbox: { capacity: 1, overflow: "drop-oldest" },
    create: () => ({ receive: (m) => m.replyTo(1) }),
  });
  const ref = system.ref(actorKey<Silent>("tiny"), "t");
  const first = ref.ask<number>((replyTo) => ({ type: "silent", replyTo }));
  const second = ref.ask<number>((replyTo) => ({ type: "silent", replyTo }));
  await assert.rejects(first, MailboxFullError);
  assert.equal(await second, 1);
  await system.shutdown();
});

Deno.test("ActorRef.ask with an infinite timeout schedules no timer", async () => {
  const { system, clock } = testSystem();
  system.register(actorKey<Silent>("late"), {
    create: (_id, ctx) => ({
      receive: (m) => void ctx.clock.setTimeout(() => m.replyTo(9), 1_000_000),
    }),
  });
  const asked = system.ref(actorKey<Silent>("late"), "l")
    .ask<number>((replyTo) => ({ type: "silent", replyTo }), { timeoutMs: Infinity });
  await system.settled();
  assert.equal(clock.pending(), 1);
  clock.advance(1_000_000);
  assert.equal(await asked, 9);
  await system.shutdown();
});
