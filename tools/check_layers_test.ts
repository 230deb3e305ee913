import assert from "node:assert/strict";
import {
  checkImports,
  formatViolations,
  importsOf,
  readTree,
  resolveImport,
  type SourceFile,
  testHelpers,
} from "./check_layers.ts";
import { layerOf, packageOf } from "./layer_rules.ts";

function _refused(files: SourceFile[]): string[] {
  return checkImports(files).map((v) => `${v.file}:${v.line} ${v.specifier}`);
}

Deno.test("importsOf finds static, type-only, re-export, side-effect and dynamic imports", () => {
  const text = [
    'import { a } from "./a.ts";',
    'import type { B } from "../infra/b.ts";',
    "import {",
    "  c,",
    '} from "./c.ts";',
    'export { d } from "./d.ts";',
    'export type { E } from "./e.ts";',
    'import "./side.ts";',
    'const f = await import("./f.ts");',
    'const text = "import nothing from here";',
  ].join("\n");
  assert.deepEqual(importsOf(text), [
    { specifier: "./a.ts", line: 1 },
    { specifier: "../infra/b.ts", line: 2 },
    { specifier: "./c.ts", line: 5 },
    { specifier: "./d.ts", line: 6 },
    { specifier: "./e.ts", line: 7 },
    { specifier: "./side.ts", line: 8 },
    { specifier: "./f.ts", line: 9 },
  ]);
});

Deno.test("the layer check refuses imports that cross a layer the wrong way", () => {
  const refused = _refused([
    { path: "actors/a.ts", text: 'import type { X } from "../infra/kafka/x.ts";' },
    { path: "infra/kafka/b.ts", text: 'import { O } from "../../actors/order_protocol.ts";' },
    { path: "domain/c.ts", text: 'import { retry } from "../lib/retry.ts";' },
    { path: "domain/d_test.ts", text: 'export { Y } from "../actors/y.ts";' },
    { path: "actors/runtime/e.ts", text: 'import { Z } from "../../domain/z.ts";' },
    { path: "routes/f.ts", text: 'import { T } from "../infra/kafka/topics.ts";' },
    { path: "routes/g.ts", text: 'import { s } from "../service.ts";' },
    { path: "lib/h.ts", text: 'import { tests } from "../tests/_support.ts";' },
    { path: "actors/i.ts", text: 'import { Consumer } from "@platformatic/kafka";' },
    { path: "routes/j.ts", text: 'import postgres from "postgres";' },
    { path: "domain/k.ts", text: 'import { Hono } from "hono";' },
    { path: "actors/l.ts", text: 'const m = await import("../infra/metrics.ts");' },
    { path: "scratch/m.ts", text: 'import { z } from "zod";' },
    { path: "actors/n.ts", text: 'import { q } from "../scratch/q.ts";' },
  ]);
  assert.deepEqual(refused, [
    "actors/a.ts:1 ../infra/kafka/x.ts",
    "infra/kafka/b.ts:1 ../../actors/order_protocol.ts",
    "domain/c.ts:1 ../lib/retry.ts",
    "domain/d_test.ts:1 ../actors/y.ts",
    "actors/runtime/e.ts:1 ../../domain/z.ts",
    "routes/f.ts:1 ../infra/kafka/topics.ts",
    "routes/g.ts:1 ../service.ts",
    "lib/h.ts:1 ../tests/_support.ts",
    "actors/i.ts:1 @platformatic/kafka",
    "routes/j.ts:1 postgres",
    "domain/k.ts:1 hono",
    "actors/l.ts:1 ../infra/metrics.ts",
    "scratch/m.ts:1 zod",
    "actors/n.ts:1 ../scratch/q.ts",
  ]);
});

Deno.test("the layer check lets each layer import what the table allows", () => {
  const refused = _refused([
    { path: "actors/a.ts", text: 'import { O } from "../domain/order.ts";\nimport "zod";' },
    { path: "actors/b.ts", text: 'import { ref } from "./runtime/mod.ts";' },
    { path: "actors/b_test.ts", text: 'import assert from "node:assert/strict";' },
    {
      path: "actors/c_test.ts",
      text: 'import { M } from "../infra/metrics.ts";\nimport "prom-client";',
    },
    { path: "infra/kafka/c.ts", text: 'import { R } from "../../domain/r.ts";' },
    { path: "infra/d.ts", text: 'import { Consumer } from "@platformatic/kafka";' },
    { path: "routes/e.ts", text: 'import { M } from "../infra/metrics.ts";\nimport "hono/ws";' },
    { path: "routes/f.ts", text: 'import { D } from "../actors/driver_actor.ts";' },
    { path: "service.ts", text: 'import { X } from "./infra/kafka/x.ts";' },
    { path: "pipelines/g.ts", text: 'import { S } from "../service.ts";' },
    { path: "tests/h.ts", text: 'import { P } from "../pipelines/g.ts";' },
    { path: "lib/i.ts", text: 'import { getLogger } from "@logtape/logtape";' },
  ]);
  assert.deepEqual(refused, []);
});

Deno.test("a _ file beside the code that only tests import is a test helper, checked as a test", () => {
  const fixtures = {
    path: "actors/_fixtures.ts",
    text: 'import assert from "node:assert/strict";\nimport { M } from "../infra/metrics.ts";',
  };
  const routeTesting = { path: "routes/_route_testing.ts", text: 'import "node:assert";' };
  const coverage = {
    path: "routes/_coverage.ts",
    text: 'import { a } from "./_route_testing.ts";',
  };
  const tests = [
    { path: "actors/a_test.ts", text: 'import { f } from "./_fixtures.ts";' },
    { path: "routes/b_test.ts", text: 'import { c } from "./_coverage.ts";' },
    { path: "tests/c_test.ts", text: 'import { r } from "../routes/_route_testing.ts";' },
  ];
  const files = [fixtures, routeTesting, coverage, ...tests];
  assert.deepEqual(
    [...testHelpers(files)].sort(),
    ["actors/_fixtures.ts", "routes/_coverage.ts", "routes/_route_testing.ts"],
  );
  assert.deepEqual(_refused(files), []);
  // Production code imports it: it is production code, and its test-only imports are refused.
  const used = [...files, { path: "actors/b.ts", text: 'import { f } from "./_fixtures.ts";' }];
  assert.deepEqual([...testHelpers(used)].sort(), [
    "routes/_coverage.ts",
    "routes/_route_testing.ts",
  ]);
  assert.deepEqual(_refused(used), [
    "actors/_fixtures.ts:1 node:assert/strict",
    "actors/_fixtures.ts:2 ../infra/metrics.ts",
  ]);
  // A _ file nothing imports, and one in a support folder, are no test helpers.
  assert.deepEqual(
    testHelpers([{ path: "routes/_alone.ts", text: "" }, {
      path: "sim/_geo.ts",
      text: "",
    }, { path: "sim/geo_test.ts", text: 'import "./_geo.ts";' }]).size,
    0,
  );
});

Deno.test("a violation says what the layer may import instead", () => {
  const text = formatViolations(checkImports([
    { path: "actors/a.ts", text: '\nimport type { X } from "../infra/kafka/x.ts";' },
  ]));
  assert.equal(
    text,
    'actors/a.ts:2 imports "../infra/kafka/x.ts": actors may import actors, runtime, domain, ' +
      "lib, not infra (infra/kafka/x.ts)",
  );
});

Deno.test("layerOf, resolveImport and packageOf", () => {
  assert.equal(layerOf("actors/runtime/mailbox.ts"), "runtime");
  assert.equal(layerOf("actors/driver_actor.ts"), "actors");
  assert.equal(layerOf("main.ts"), "wiring");
  assert.equal(layerOf("nowhere/x.ts"), undefined);
  assert.equal(resolveImport("infra/kafka/a.ts", "../../domain/b.ts"), "domain/b.ts");
  assert.equal(resolveImport("service.ts", "./actors/c.ts"), "actors/c.ts");
  assert.equal(packageOf("hono/ws"), "hono");
  assert.equal(packageOf("@platformatic/kafka"), "@platformatic/kafka");
  assert.equal(packageOf("npm:zod@4.6.7"), "zod");
  assert.equal(packageOf("node:assert/strict"), "node:assert");
});

Deno.test("every import in this repository follows the layer rules", async () => {
  const files = await readTree(new URL("..", import.meta.url).pathname);
  assert.ok(files.some((f) => f.path === "actors/driver_actor.ts"), "the walk found the tree");
  const helpers = testHelpers(files);
  for (const helper of ["actors/_test_fixtures.ts", "routes/_route_testing.ts"]) {
    assert.ok(helpers.has(helper), `${helper} is read as a test helper`);
  }
  const violations = checkImports(files);
  assert.equal(violations.length, 0, `\n${formatViolations(violations)}`);
});
