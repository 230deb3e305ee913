import assert from "node:assert/strict";
import { parseHistoryArgs } from "./history_args.ts";

Deno.test("parseHistoryArgs: defaults of issue #13, --rows and refusals", () => {
  const a = parseHistoryArgs([]);
  assert.equal(a.rows, 50_000_000);
  assert.equal(a.days, 30);
  assert.equal(a.drivers, 10_000);
  assert.equal(a.databaseUrl, "postgres://postgres@127.0.0.1:5432/history_bench");
  assert.equal(parseHistoryArgs(["--rows", "20000"]).rows, 20_000);
  assert.equal(
    parseHistoryArgs([], { HISTORY_BENCH_URL: "postgres://x/y" }).databaseUrl,
    "postgres://x/y",
  );
  assert.throws(() => parseHistoryArgs(["--rows", "1.5"]), RangeError);
  assert.throws(() => parseHistoryArgs(["--schema-prefix", "a;drop"]), RangeError);
});
