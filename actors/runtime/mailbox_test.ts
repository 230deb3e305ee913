import assert from "node:assert/strict";
import { MailboxFullError } from "./errors.ts";
import { Mailbox } from "./mailbox.ts";

type Item = { key?: string; n: number };

function drain(mailbox: Mailbox<Item>): number[] {
  return mailbox.drain().map((item) => item.n);
}

Deno.test("Mailbox with reject throws MailboxFullError carrying kind, id and capacity", () => {
  const mailbox = new Mailbox<Item>({ kind: "order", id: "o1", capacity: 2, overflow: "reject" });
  mailbox.push({ n: 1 });
  mailbox.push({ n: 2 });
  assert.throws(() => mailbox.push({ n: 3 }), (error: unknown) => {
    assert.ok(error instanceof MailboxFullError);
    assert.equal(error.name, "MailboxFullError");
    assert.deepEqual([error.kind, error.id, error.capacity], ["order", "o1", 2]);
    return true;
  });
  assert.deepEqual(drain(mailbox), [1, 2]);
});

Deno.test("Mailbox with drop-oldest discards and returns the oldest message", () => {
  const mailbox = new Mailbox<Item>({ kind: "k", id: "i", capacity: 2, overflow: "drop-oldest" });
  assert.equal(mailbox.push({ n: 1 }), undefined);
  mailbox.push({ n: 2 });
  assert.deepEqual(mailbox.push({ n: 3 }), { n: 1 });
  assert.deepEqual(drain(mailbox), [2, 3]);
});

Deno.test("Mailbox with conflate replaces the queued message with the same key in place", () => {
  const mailbox = new Mailbox<Item>({
    kind: "k",
    id: "i",
    capacity: 10,
    overflow: "conflate",
    key: (item) => item.key,
  });
  mailbox.push({ key: "a", n: 1 });
  mailbox.push({ key: "b", n: 2 });
  mailbox.push({ n: 3 });
  assert.deepEqual(mailbox.push({ key: "a", n: 4 }), { key: "a", n: 1 });
  mailbox.push({ n: 5 });
  assert.deepEqual(drain(mailbox), [4, 2, 3, 5]);
});

Deno.test("Mailbox with conflate drops the oldest when full and no queued message shares the key", () => {
  const mailbox = new Mailbox<Item>({
    kind: "k",
    id: "i",
    capacity: 2,
    overflow: "conflate",
    key: (item) => item.key,
  });
  mailbox.push({ key: "a", n: 1 });
  mailbox.push({ key: "b", n: 2 });
  assert.deepEqual(mailbox.push({ key: "c", n: 3 }), { key: "a", n: 1 });
  // "a" left with the dropped message, so a new "a" is queued, not conflated.
  assert.deepEqual(mailbox.push({ key: "a", n: 4 }), { key: "b", n: 2 });
  assert.deepEqual(mailbox.shift(), { key: "c", n: 3 });
  assert.equal(mailbox.push({ key: "c", n: 5 }), undefined);
  assert.deepEqual(drain(mailbox), [4, 5]);
});

Deno.test("Mailbox serves control messages first and never drops them", () => {
  const mailbox = new Mailbox<Item>({ kind: "k", id: "i", capacity: 1, overflow: "reject" });
  mailbox.push({ n: 1 });
  for (let n = 100; n < 105; n++) mailbox.pushControl({ n });
  assert.equal(mailbox.size, 6);
  const order: number[] = [];
  for (let item = mailbox.shift(); item !== undefined; item = mailbox.shift()) order.push(item.n);
  assert.deepEqual(order, [100, 101, 102, 103, 104, 1]);
});
