import assert from "node:assert/strict";
import { actorKey } from "./actor_key.ts";
import type { ActorRef } from "./types.ts";
import { testSystem } from "./_testing.ts";

type Ping = { type: "ping"; replyTo: (n: number) => void };
type Other = { type: "other" };
const PINGER = actorKey<Ping>("pinger");
const OTHER = actorKey<Other>("other");

Deno.test("actorKey types register and ref without a cast, and refuses other messages", async () => {
  const { system } = testSystem();
  let count = 0;
  system.register(PINGER, { create: () => ({ receive: (m) => m.replyTo(++count) }) });
  const ref: ActorRef<Ping> = system.ref(PINGER, "a");
  assert.equal(await ref.ask<number>((replyTo) => ({ type: "ping", replyTo })), 1);
  const refs = system.refs(PINGER);
  assert.equal(await refs("a").ask<number>((replyTo) => ({ type: "ping", replyTo })), 2);
  assert.equal(refs("a").kind, "pinger");
  // Compile-time checks: `deno check` fails if any of these lines type-checks.
  // @ts-expect-error a key of other messages cannot be registered with this definition
  system.register(OTHER, { create: () => ({ receive: (m: Ping) => m.replyTo(0) }) });
  // @ts-expect-error a ref of the key's type does not take another message
  system.ref(PINGER, "a").tell({ type: "other" });
  // @ts-expect-error a ref is not of another key's type
  const _wrong: ActorRef<Other> = system.ref(PINGER, "a");
  assert.equal(system.count(PINGER), 1);
  await system.shutdown();
});

Deno.test("actorKey refuses an empty kind name", () => {
  assert.throws(() => actorKey(""), TypeError);
});
