import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { createRecordsBatch, Reader, readRecordsBatch } from "@platformatic/kafka";
import { LOCATION_RECORD_VERSION, ORDER_EVENT_VERSION, RecordVersion } from "./record_version.ts";
import { tailedValues } from "./tailed_values.ts";

const _b = (text: string) => Buffer.from(text);

Deno.test("RecordVersion's headers are schema-version and the version, in bytes", () => {
  for (const version of [LOCATION_RECORD_VERSION, ORDER_EVENT_VERSION]) {
    const entries = [...version.headers].map(([k, v]) => [k.toString(), v.toString()]);
    assert.deepEqual(entries, [["schema-version", "1"]]);
  }
  assert.deepEqual([...new RecordVersion(12).headers.values()].map(String), ["12"]);
  assert.throws(() => new RecordVersion(0), RangeError);
});

Deno.test("RecordVersion reads no header, its own version and older ones, and other headers", () => {
  const v2 = new RecordVersion(2);
  assert.equal(v2.problem(undefined), undefined);
  assert.equal(v2.problem([]), undefined);
  assert.equal(v2.problem([[_b("trace-id"), _b("9")]]), undefined);
  assert.equal(v2.problem([[_b("schema-version"), _b("2")]]), undefined);
  assert.equal(v2.problem([[null, null], [_b("schema-version"), _b("1")]]), undefined);
});

Deno.test("RecordVersion refuses a newer version, or a header that is not a version", () => {
  const v1 = LOCATION_RECORD_VERSION;
  assert.equal(
    v1.problem([[_b("schema-version"), _b("2")]]),
    "schema-version 2 is newer than 1, the newest this reader knows",
  );
  assert.match(v1.problem([[_b("schema-version"), _b("10")]])!, /10 is newer than 1/);
  assert.match(v1.problem([[_b("schema-version"), null]])!, /"" is not a version/);
  assert.match(v1.problem([[_b("schema-version"), _b("one")]])!, /"one" is not a version/);
  // The header name is compared byte for byte: another spelling is another header.
  assert.equal(v1.problem([[_b("Schema-Version"), _b("2")]]), undefined);
});

Deno.test("tailedValues skips records of a newer version, counts them, and keeps the rest in order", () => {
  const header = (v: string) => new Map([[_b("schema-version"), _b(v)]]);
  const messages = [
    { topic: "t", key: _b("d1"), value: _b("a"), headers: header("1") },
    { topic: "t", key: _b("d1"), value: _b("b"), headers: header("2") },
    { topic: "t", key: _b("d2"), value: _b("c") },
    { topic: "t", key: _b("d1"), value: _b("d"), headers: header("x") },
    { topic: "t", key: _b("d1"), value: _b("e"), headers: LOCATION_RECORD_VERSION.headers },
  ];
  // Through the client's own wire encoding, as a fetch would hand the records over.
  const batch = readRecordsBatch(Reader.from(createRecordsBatch(messages).buffer));
  const read = tailedValues([batch], 0n, { version: LOCATION_RECORD_VERSION });
  assert.deepEqual(read, { values: ["a", "c", "e"], next: 5n, unknownVersions: 2 });
  const kept = tailedValues([batch], 1n, {
    version: LOCATION_RECORD_VERSION,
    keep: (key) => key === "d2",
  });
  assert.deepEqual(kept, { values: ["c"], next: 5n, unknownVersions: 0 });
  assert.deepEqual(tailedValues([batch], 0n, {}).values, ["a", "b", "c", "d", "e"]);
});
