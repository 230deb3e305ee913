import assert from "node:assert/strict";
import {
  formatSizes,
  isProductionFile,
  lineCount,
  longFiles,
  longFunctions,
} from "./check_sizes.ts";

/** A function declaration of `body` lines between its first and last line. */
function _fn(name: string, body: number): string {
  return [`function ${name}() {`, ..."x".repeat(body).split("").map(() => "  1;"), "}"].join(
    "\n",
  );
}

Deno.test("longFiles reports production and bench files over the limit, no test or tool", () => {
  const long = "const a = 1;\n".repeat(251);
  const files = [
    { path: "actors/long.ts", text: long },
    { path: "actors/ok.ts", text: "const a = 1;\n".repeat(250) },
    { path: "actors/long_test.ts", text: long },
    { path: "bench/long.ts", text: long },
    { path: "bench/baselines/long.ts", text: long },
    { path: "bench/long_test.ts", text: long },
    { path: "tests/long.ts", text: long },
    { path: "tools/long.ts", text: long },
  ];
  assert.deepEqual(longFiles(files), [
    { file: "actors/long.ts", line: 1, what: "file", lines: 251 },
    { file: "bench/long.ts", line: 1, what: "file", lines: 251 },
    { file: "bench/baselines/long.ts", line: 1, what: "file", lines: 251 },
  ]);
});

Deno.test("longFunctions reports functions, methods and arrows over 60 lines by name", () => {
  const text = [
    _fn("fine", 58), // 60 lines in all
    _fn("tooLong", 59), // 61
    "class A {",
    "  #run() {",
    ..."x".repeat(61).split("").map(() => "    1;"),
    "  }",
    "}",
    "const arrow = () => {",
    ..."x".repeat(70).split("").map(() => "  1;"),
    "};",
  ].join("\n");
  const found = longFunctions([
    { path: "routes/a.ts", text },
    { path: "routes/a_test.ts", text },
    { path: "bench/b.ts", text: _fn("benchLong", 59) },
    { path: "bench/b_test.ts", text },
    { path: "tools/t.ts", text },
  ]);
  assert.equal(
    formatSizes(found),
    [
      "routes/a.ts:61 tooLong (61 lines)",
      "routes/a.ts:123 #run (63 lines)",
      "routes/a.ts:187 arrow (72 lines)",
      "bench/b.ts:1 benchLong (61 lines)",
    ].join("\n"),
  );
});

Deno.test("isProductionFile and lineCount", () => {
  assert.equal(isProductionFile("service.ts"), true);
  assert.equal(isProductionFile("actors/runtime/mailbox.ts"), true);
  assert.equal(isProductionFile("actors/runtime/_testing.ts"), false);
  assert.equal(isProductionFile("bench/bench.ts"), true);
  assert.equal(isProductionFile("bench/baselines/floor_ingest.ts"), true);
  assert.equal(isProductionFile("bench/bench_args_test.ts"), false);
  assert.equal(isProductionFile("sim/simulation.ts"), true);
  assert.equal(isProductionFile("demo/demo_city.ts"), true);
  assert.equal(isProductionFile("demo/demo_args_test.ts"), false);
  assert.equal(isProductionFile("tests/bench_smoke_test.ts"), false);
  assert.equal(isProductionFile("tests/_support.ts"), false);
  assert.equal(isProductionFile("tools/check_sizes.ts"), false);
  assert.equal(lineCount("a\nb\n"), 2);
  assert.equal(lineCount("a\nb"), 2);
  assert.equal(lineCount(""), 0);
});
