import assert from "node:assert/strict";
import SwaggerParser from "@apidevtools/swagger-parser";
import { Hono } from "hono";
import { apiCoverage, stubServiceApp } from "./_api_coverage.ts";
import { asyncApiDocument } from "./asyncapi.ts";
import { openApiDocument } from "./openapi.ts";
import { AUTH_FAILURES } from "./auth.ts";
import { mounted } from "./_route_testing.ts";

/** Validates against the OpenAPI 3.1 schema; the parser dereferences in place, so on a copy. */
// deno-lint-ignore no-explicit-any
function _validate(doc: Record<string, unknown>): Promise<any> {
  // deno-lint-ignore no-explicit-any
  return SwaggerParser.validate(structuredClone(doc) as any);
}

Deno.test("the OpenAPI document is valid OpenAPI 3.1, with and without the dev route", async () => {
  for (const dev of [true, false]) {
    const api = await _validate(openApiDocument({ dev }));
    assert.equal(api.openapi, "3.1.0");
    assert.equal("/dev/token" in api.paths, dev);
  }
});

Deno.test("swagger-parser refuses a document with a response that lacks its description", async () => {
  const doc = openApiDocument({ dev: false });
  // deno-lint-ignore no-explicit-any
  delete (doc as any).paths["/healthz"].get.responses["200"].description;
  await assert.rejects(_validate(doc), /description/);
});

Deno.test("every route of the service's route factories is documented or excluded on purpose", async () => {
  await using stub = stubServiceApp();
  const coverage = apiCoverage(
    stub.app.routes,
    openApiDocument({ dev: true }),
    asyncApiDocument(),
  );
  assert.deepEqual(coverage, { undocumented: [], stale: [] });
});

Deno.test("a route added without documentation, or documented but gone, fails the coverage", async () => {
  await using stub = stubServiceApp();
  const app = new Hono();
  app.route("/", stub.app);
  app.get("/orders/:id/refund", (c) => c.text("x"));
  app.get("/ws/chat", (c) => c.text("x"));
  const openApi = openApiDocument({ dev: true });
  // deno-lint-ignore no-explicit-any
  (openApi.paths as any)["/orders/{id}/tip"] = { post: {} };
  const coverage = apiCoverage(app.routes, openApi, asyncApiDocument());
  assert.deepEqual(coverage, {
    undocumented: ["GET /orders/:id/refund", "GET /ws/chat"],
    stale: ["POST /orders/{id}/tip"],
  });
});

Deno.test("every HTTP error code of docs/errors.md and docs/limits.md is in a document", async () => {
  const text = await Deno.readTextFile(new URL("../docs/errors.md", import.meta.url)) +
    await Deno.readTextFile(new URL("../docs/limits.md", import.meta.url));
  const codes = new Set<string>(AUTH_FAILURES);
  // Table rows `| 400 | \`invalid_json\` |` (errors.md) and `413 \`body_too_large\`` (limits.md).
  for (const m of text.matchAll(/\b[1-5]\d\d\s*\|?\s*`([a-z_]+)`/g)) codes.add(m[1]!);
  codes.delete("token_"); // the `token_*` row: AUTH_FAILURES stand for it
  assert.ok(codes.size >= 25, `only ${codes.size} codes read from the docs`);
  const documents = JSON.stringify(openApiDocument({ dev: true })) +
    JSON.stringify(asyncApiDocument());
  const missing = [...codes].filter((code) => !documents.includes(code));
  assert.deepEqual(missing, []);
});

Deno.test("POST /orders documents the route's own body schema, errors and bearer auth", async () => {
  const api = await _validate(openApiDocument({ dev: false }));
  const op = api.paths["/orders"].post;
  assert.deepEqual(op.security, [{ bearer: [] }]);
  const body = op.requestBody.content["application/json"].schema;
  assert.deepEqual(body.required, ["restaurantId", "customerId", "pickup", "dropoff"]);
  assert.deepEqual(body.properties.pickup.properties.lat, {
    type: "number",
    minimum: -90,
    maximum: 90,
  });
  assert.equal(body.properties.restaurantId.maxLength, 128);
  const error400 = op.responses["400"].content["application/json"].schema;
  assert.deepEqual(error400.properties.error.properties.code.enum, [
    "invalid_json",
    "invalid_body",
  ]);
  assert.deepEqual(
    op.responses["401"].content["application/json"].schema.properties.error.properties.code.enum,
    [...AUTH_FAILURES],
  );
  assert.ok(op.responses["201"]);
  const history = api.paths["/drivers/{id}/history"].get;
  assert.deepEqual(
    history.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`),
    [
      "path:id",
      "query:from",
      "query:to",
      "query:after",
      "query:limit",
      "query:format",
      "query:stream",
    ],
  );
  assert.deepEqual(history.parameters[5].schema.enum, ["json", "geojson", "gpx"]);
  assert.deepEqual(
    Object.keys(history.responses["200"].content),
    ["application/json", "application/geo+json", "application/gpx+xml", "application/x-ndjson"],
  );
  const track = api.paths["/orders/{id}/track"].get;
  assert.deepEqual(
    track.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`),
    ["path:id", "query:after", "query:limit", "query:format"],
  );
  assert.ok(track.responses["200"].content["application/geo+json"].schema.properties.geometry);
  assert.equal(history.parameters[4].schema.pattern, "^\\d+$");
});

Deno.test("GET /openapi.json, /asyncapi.json and /docs are served, without a token", async () => {
  await using stub = stubServiceApp();
  const app = mounted(stub.app);
  const openApi = await app.request("/openapi.json");
  assert.equal(openApi.status, 200);
  assert.deepEqual(await openApi.json(), openApiDocument({ dev: true }));
  const asyncApi = await app.request("https://tracking.example/asyncapi.json");
  // deno-lint-ignore no-explicit-any
  const servers = ((await asyncApi.json()) as any).servers;
  assert.deepEqual(servers.service, {
    host: "tracking.example",
    protocol: "wss",
    description: "this service",
  });
  const page = await app.request("/docs");
  assert.equal(page.status, 200);
  assert.match(page.headers.get("content-type") ?? "", /text\/html/);
  const html = await page.text();
  assert.match(html, /\/pages\/api_docs\.js/);
  assert.doesNotMatch(html, /https?:\/\//, "the page loads nothing from elsewhere");
  const script = await app.request("/pages/api_docs.js");
  assert.equal(script.status, 200);
  assert.doesNotMatch(await script.text(), /https?:\/\//);
});
