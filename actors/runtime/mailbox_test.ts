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

function conflating(capacity: number): Mailbox<Item> {
  return new Mailbox<Item>({
    kind: "k",
    id: "i",
    capacity,
    overflow: "conflate",
    key: (item) => item.key,
  });
}

Deno.test("Mailbox with conflate never drops a message without a key: a full one drops the oldest keyed message instead", () => {
  const mailbox = conflating(3);
  mailbox.push({ n: 1 });
  mailbox.push({ key: "a", n: 2 });
  mailbox.push({ key: "b", n: 3 });
  assert.deepEqual(mailbox.push({ n: 4 }), { key: "a", n: 2 });
  assert.deepEqual(mailbox.push({ n: 5 }), { key: "b", n: 3 });
  assert.equal(mailbox.size, 3);
  assert.deepEqual(drain(mailbox), [1, 4, 5]);
});

Deno.test("Mailbox with conflate queues unkeyed messages past capacity when no keyed message can go", () => {
  const mailbox = conflating(2);
  for (let n = 1; n <= 2_000; n++) assert.equal(mailbox.push({ n }), undefined);
  assert.equal(mailbox.size, 2_000);
  const served: number[] = [];
  for (let item = mailbox.shift(); item !== undefined; item = mailbox.shift()) served.push(item.n);
  assert.deepEqual(served, Array.from({ length: 2_000 }, (_, i) => i + 1));
});

Deno.test("Mailbox with conflate, full of unkeyed messages, drops a new keyed one but still conflates it with a queued twin", () => {
  const mailbox = conflating(2);
  mailbox.push({ key: "a", n: 1 });
  mailbox.push({ n: 2 });
  assert.deepEqual(mailbox.push({ key: "a", n: 3 }), { key: "a", n: 1 }, "replaced in place");
  assert.deepEqual(mailbox.push({ n: 4 }), { key: "a", n: 3 }, "the keyed one makes room");
  assert.deepEqual(mailbox.push({ key: "b", n: 5 }), { key: "b", n: 5 }, "nothing older may go");
  assert.deepEqual(drain(mailbox), [2, 4]);
  // The dropped keys left the mailbox: new ones are queued again.
  assert.equal(mailbox.push({ key: "a", n: 6 }), undefined);
  assert.deepEqual(drain(mailbox), [6]);
});

/** The conflate rules, written plainly over an array, to check the mailbox against. */
class ConflateModel {
  items: Item[] = [];
  constructor(readonly capacity: number) {}
  push(item: Item): Item | undefined {
    if (item.key !== undefined) {
      const twin = this.items.findIndex((queued) => queued.key === item.key);
      if (twin >= 0) return this.items.splice(twin, 1, item)[0];
    }
    if (this.items.length < this.capacity) return void this.items.push(item);
    const oldestKeyed = this.items.findIndex((queued) => queued.key !== undefined);
    if (oldestKeyed < 0) return item.key === undefined ? void this.items.push(item) : item;
    const [dropped] = this.items.splice(oldestKeyed, 1);
    this.items.push(item);
    return dropped;
  }
  shift(): Item | undefined {
    return this.items.shift();
  }
}

Deno.test("Mailbox with conflate matches a plain model of its rules over random pushes and shifts", () => {
  let seed = 42;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  // A slow consumer, so the mailbox is often full; with many keys and a nearly stalled one,
  // dropped slots pile up and get compacted away.
  for (
    const [capacity, keys, shiftOdds] of [[1, 8, 0.2], [3, 8, 0.2], [50, 8, 0.2], [50, 500, 0.02]]
  ) {
    const mailbox = conflating(capacity!);
    const model = new ConflateModel(capacity!);
    for (let n = 0; n < 20_000; n++) {
      if (random() < shiftOdds!) {
        assert.deepEqual(mailbox.shift(), model.shift(), `shift at ${n}`);
      } else {
        const item = random() < 0.3 ? { n } : { key: `k${Math.floor(random() * keys!)}`, n };
        assert.deepEqual(mailbox.push(item), model.push(item), `push at ${n}`);
      }
      assert.equal(mailbox.size, model.items.length);
    }
    assert.deepEqual(mailbox.drain(), model.items);
  }
});
