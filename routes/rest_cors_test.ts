import assert from "node:assert/strict";
import { Hono } from "hono";
import { restCors } from "./rest_cors.ts";
import { apiError } from "./api_error.ts";
import { handleApiErrors } from "./error_handling.ts";

function _app(allowed: string[]) {
  const app = new Hono();
  app.use("*", restCors(allowed));
  app.get("/orders/:id", (c) => c.json({ id: c.req.param("id") }));
  app.get("/refused", () => {
    throw apiError(401, "token_missing", "a bearer token is required");
  });
  handleApiErrors(app, { log: () => {} });
  return app;
}

Deno.test("restCors answers a preflight from an allowed origin with methods and headers", async () => {
  const res = await _app(["https://app.example"]).request("/orders/o1", {
    method: "OPTIONS",
    headers: {
      Origin: "https://app.example",
      "Access-Control-Request-Method": "GET",
      "Access-Control-Request-Headers": "authorization",
    },
  });
  assert.equal(res.status, 204);
  assert.equal(res.headers.get("Access-Control-Allow-Origin"), "https://app.example");
  assert.match(res.headers.get("Access-Control-Allow-Headers")!, /Authorization/);
  assert.match(res.headers.get("Access-Control-Allow-Methods")!, /POST/);
});

Deno.test("restCors gives no CORS headers to an origin not in ALLOWED_ORIGINS", async () => {
  const res = await _app(["https://app.example"]).request("/orders/o1", {
    headers: { Origin: "https://evil.example" },
  });
  assert.equal(res.headers.get("Access-Control-Allow-Origin"), null);
  await res.body?.cancel();
});

Deno.test("restCors with * allows any origin, and error answers carry the CORS headers too", async () => {
  const res = await _app(["*"]).request("/refused", { headers: { Origin: "https://x.example" } });
  assert.equal(res.status, 401);
  assert.equal(res.headers.get("Access-Control-Allow-Origin"), "*");
  assert.equal((await res.json()).error.code, "token_missing");
});

Deno.test("restCors allows the service's own origin whatever ALLOWED_ORIGINS says", async () => {
  const app = new Hono();
  app.use("*", restCors(["http://localhost:8000"]));
  app.get("/x", (c) => c.json({}));
  const own = await app.request("http://localhost:9000/x", {
    headers: { Origin: "http://localhost:9000" },
  });
  assert.equal(own.headers.get("Access-Control-Allow-Origin"), "http://localhost:9000");
  const other = await app.request("http://localhost:9000/x", {
    headers: { Origin: "http://localhost:9001" },
  });
  assert.equal(other.headers.get("Access-Control-Allow-Origin"), null);
});

Deno.test("restCors leaves a WebSocket upgrade alone: no CORS headers, the socket route decides", async () => {
  const app = new Hono();
  app.use("*", restCors(["https://app.example"]));
  app.get("/ws/driver", (c) => c.text("upgraded", 200));
  const res = await app.request("/ws/driver", {
    headers: { Origin: "https://app.example", Upgrade: "websocket", Connection: "Upgrade" },
  });
  assert.equal(await res.text(), "upgraded");
  assert.equal(res.headers.get("Access-Control-Allow-Origin"), null);
  const plain = await app.request("/ws/driver", { headers: { Origin: "https://app.example" } });
  assert.equal(plain.headers.get("Access-Control-Allow-Origin"), "https://app.example");
  await plain.body?.cancel();
});
