import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { encodeLocationRecord, type LocationRecord } from "../../domain/location_record.ts";
import type { Committable } from "./commit_batcher.ts";
import { DecodedLocations, type RawMessage } from "./decode_locations.ts";
import { LOCATION_RECORD_VERSION } from "./record_version.ts";

const _record = (driverId: string, ts: number): LocationRecord => ({
  driverId,
  seq: ts,
  ts,
  lat: 12.97,
  lon: 77.59,
  region: "south",
  receivedAt: ts,
});

/** A message as the client hands it over; `commits` gets what its bound `commit` was called for. */
function _message(
  partition: number,
  offset: bigint,
  value: string,
  commits: string[],
  headers = [...LOCATION_RECORD_VERSION.headers],
): RawMessage {
  return {
    topic: "driver-locations",
    partition,
    offset,
    key: "k",
    value,
    headers: new Map(headers),
    headerEntries: headers,
    timestamp: 0n,
    metadata: {},
    commit: () => {
      commits.push(`${partition}:${offset}`);
      return Promise.resolve();
    },
  } as unknown as RawMessage;
}

Deno.test("DecodedLocations groups records by partition in offset order, and sets aside what it cannot read", () => {
  const decoded = new DecodedLocations(() => Promise.resolve());
  const sent: string[] = [];
  decoded.add(_message(1, 10n, encodeLocationRecord(_record("a", 1)), sent));
  decoded.add(_message(0, 5n, encodeLocationRecord(_record("b", 2)), sent));
  decoded.add(_message(1, 11n, "{not json", sent));
  decoded.add(_message(1, 12n, encodeLocationRecord(_record("a", 3)), sent));
  const newer = [[Buffer.from("schema-version"), Buffer.from("99")]] as [Buffer, Buffer][];
  decoded.add(_message(0, 6n, encodeLocationRecord(_record("b", 4)), sent, newer));
  assert.equal(decoded.size, 5);
  const byPartition = decoded.byPartition();
  assert.deepEqual([...byPartition.keys()], [1, 0]);
  assert.deepEqual(byPartition.get(1)!.map((r) => [r.offset, r.record.ts]), [[10n, 1], [12n, 3]]);
  assert.deepEqual(byPartition.get(0)!.map((r) => [r.offset, r.record.driverId]), [[5n, "b"]]);
  assert.deepEqual(
    decoded.undecodable.map((u) => [u.partition, u.offset, u.unknownVersion]),
    [[1, 11n, false], [0, 6n, true]],
  );
  assert.equal(decoded.undecodable[0]!.value, "{not json");
});

Deno.test("a decoded record needs nothing of its message after decoding, and commits through the message's own commit", async () => {
  const requested: Committable[] = [];
  const decoded = new DecodedLocations((c) => {
    requested.push(c);
    return Promise.resolve();
  });
  const sent: string[] = [];
  const message = _message(3, 42n, encodeLocationRecord(_record("a", 1)), sent);
  decoded.add(message);
  const [record] = decoded.records;
  // Nothing of the message is read after `add`: emptied, the record still commits right.
  for (const key of Object.keys(message)) {
    delete (message as unknown as Record<string, unknown>)[key];
  }
  assert.deepEqual(record!.record, _record("a", 1));
  await record!.commit();
  assert.deepEqual(requested.map((c) => [c.partition, c.offset]), [[3, 42n]]);
  assert.deepEqual(sent, []); // requested, not sent: the consumer's batcher sends it
  await requested[0]!.commit();
  assert.deepEqual(sent, ["3:42"]);
});
