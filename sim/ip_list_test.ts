import assert from "node:assert/strict";
import { parseIpList } from "./ip_list.ts";

Deno.test("parseIpList expands last-octet ranges and single addresses", () => {
  assert.deepEqual(parseIpList("127.0.0.2-127.0.0.4, 127.0.1.1"), [
    "127.0.0.2",
    "127.0.0.3",
    "127.0.0.4",
    "127.0.1.1",
  ]);
  assert.deepEqual(parseIpList(""), []);
});

Deno.test("parseIpList rejects malformed addresses and ranges", () => {
  assert.throws(() => parseIpList("127.0.0"), RangeError);
  assert.throws(() => parseIpList("127.0.0.300"), RangeError);
  assert.throws(() => parseIpList("127.0.0.9-127.0.0.2"), RangeError);
  assert.throws(() => parseIpList("127.0.0.1-127.0.1.2"), RangeError);
});
