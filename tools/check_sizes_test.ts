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

Deno.test("longFiles reports production files over the limit, and no test or tool", () => {
  const long = "const a = 1;\n".repeat(251);
  const files = [
    { path: "actors/long.ts", text: long },
    { path: "actors/ok.ts", text: "const a = 1;\n".repeat(250) },
    { path: "actors/long_test.ts", text: long },
    { path: "tests/long.ts", text: long },
    { path: "tools/long.ts", text: long },
  ];
  assert.deepEqual(longFiles(files), [
    { file: "actors/long.ts", line: 1, what: "file", lines: 251 },
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
  const found = longFunctions([{ path: "routes/a.ts", text }, { path: "routes/a_test.ts", text }]);
  assert.equal(
    formatSizes(found),
    [
      "routes/a.ts:61 tooLong (61 lines)",
      "routes/a.ts:123 #run (63 lines)",
      "routes/a.ts:187 arrow (72 lines)",
    ].join("\n"),
  );
});

Deno.test("isProductionFile and lineCount", () => {
  assert.equal(isProductionFile("service.ts"), true);
  assert.equal(isProductionFile("actors/runtime/mailbox.ts"), true);
  assert.equal(isProductionFile("actors/runtime/_testing.ts"), false);
  assert.equal(isProductionFile("bench/bench.ts"), false);
  assert.equal(lineCount("a\nb\n"), 2);
  assert.equal(lineCount("a\nb"), 2);
  assert.equal(lineCount(""), 0);
});
