import assert from "node:assert/strict";
import { ActorSystem } from "../actors/runtime/mod.ts";
import { DRIVER, driverActorKind } from "../actors/driver_actor.ts";
import type { LocationPublisher } from "../domain/location_publisher.ts";
import type { LocationRecord } from "../domain/location_record.ts";
import { RegionMap } from "../domain/region_map.ts";
import { PhoneLinks, type PhoneOutcome } from "./phone_links.ts";

const regions = new RegionMap({
  catchAll: { name: "other", partition: 1 },
  regions: [{ name: "here", partition: 0, bbox: [77, 12, 78, 13] }],
});

/** A publisher whose sends settle only when the test says so. */
class HeldPublisher implements LocationPublisher {
  sent: { record: LocationRecord; settle: (ok: boolean) => void }[] = [];
  publish(record: LocationRecord): Promise<void> {
    return new Promise((resolve, reject) => {
      this.sent.push({ record, settle: (ok) => ok ? resolve() : reject(new Error("down")) });
    });
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

function _rig(answerMs = 5_000) {
  const system = new ActorSystem();
  const publisher = new HeldPublisher();
  system.register(
    DRIVER,
    driverActorKind({
      publisher,
      regions,
      lastStored: () => Promise.resolve(undefined),
      ackIntervalMs: 1,
    }),
  );
  const links = new PhoneLinks({ driver: (id) => system.ref(DRIVER, id), answerMs });
  return { system, publisher, links };
}

/** Whether `p` has settled after the event loop turned a few times, and with what. */
async function _settled(p: Promise<PhoneOutcome>): Promise<PhoneOutcome | "pending"> {
  return await Promise.race([p, new Promise<"pending">((r) => setTimeout(() => r("pending"), 50))]);
}

Deno.test("PhoneLinks answers stored once Kafka has the fix, and a copy re-sent meanwhile waits for it", async () => {
  const { system, publisher, links } = _rig();
  try {
    const fix = { lat: 12.9, lon: 77.6, ts: Date.now() - 1_000 };
    const first = links.submit("d-1", [fix]);
    assert.equal(await _settled(first), "pending");
    const retry = links.submit("d-1", [fix]); // the app timed out and sent it again
    assert.equal(await _settled(retry), "pending", "the copy waits for the first one");
    assert.equal(publisher.sent.length, 1, "published once");
    publisher.sent[0]!.settle(true);
    assert.deepEqual(await first, { kind: "stored", refused: [] });
    assert.deepEqual(await retry, { kind: "stored", refused: [] });
    assert.deepEqual(await links.submit("d-1", [fix]), { kind: "stored", refused: [] });
    assert.equal(publisher.sent.length, 1, "a later copy is not published again");
    assert.equal(links.size, 0, "no link is kept once its requests are answered");
  } finally {
    await system.shutdown();
  }
});

Deno.test("PhoneLinks answers a fix the filters refuse for good as stored, naming the code", async () => {
  const { system, publisher, links } = _rig();
  try {
    const outcome = await links.submit("d-1", [{ lat: 0, lon: 0, ts: Date.now() }]);
    assert.deepEqual(outcome, { kind: "stored", refused: ["null_island"] });
    assert.equal(publisher.sent.length, 0);
  } finally {
    await system.shutdown();
  }
});

Deno.test("PhoneLinks answers unavailable when Kafka refuses, and the fix sent again is published again", async () => {
  const { system, publisher, links } = _rig();
  try {
    const fix = { lat: 12.9, lon: 77.6, ts: Date.now() - 1_000 };
    const first = links.submit("d-1", [fix]);
    await _settled(first);
    publisher.sent[0]!.settle(false);
    assert.equal((await first).kind, "unavailable");
    const again = links.submit("d-1", [fix]);
    await _settled(again);
    assert.equal(publisher.sent.length, 2, "accepted again after the failure");
    publisher.sent[1]!.settle(true);
    assert.deepEqual(await again, { kind: "stored", refused: [] });
  } finally {
    await system.shutdown();
  }
});

Deno.test("PhoneLinks answers unavailable when Kafka has not taken the fix in time", async () => {
  const { system, publisher, links } = _rig(100);
  try {
    const outcome = await links.submit("d-1", [{ lat: 12.9, lon: 77.6, ts: Date.now() - 1_000 }]);
    assert.equal(outcome.kind, "unavailable");
    publisher.sent[0]!.settle(true);
  } finally {
    await system.shutdown();
  }
});
