import assert from "node:assert/strict";
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { apiError } from "./api_error.ts";
import { handleApiErrors } from "./error_handling.ts";

function _app(): Hono {
  const app = new Hono();
  app.use("/things/*", async (_c, next) => await next());
  app.get("/things/:id", (c) => c.json({ id: c.req.param("id") }));
  app.post("/things", (c) => c.json({}, 201));
  // Like hono's upgradeWebSocket given a request that is not an upgrade.
  app.get("/ws/socket", async (_c, next) => await next());
  app.get("/plain", () => {
    throw new HTTPException(403, { message: "no" });
  });
  app.get("/shaped", () => {
    throw apiError(400, "invalid_x", "x is wrong", { field: "x" });
  });
  app.get("/boom", () => {
    throw new Error("secret detail");
  });
  handleApiErrors(app, { log: () => {} });
  return app;
}

Deno.test("handleApiErrors answers an unknown route with JSON 404 not_found", async () => {
  const res = await _app().request("/nowhere");
  assert.equal(res.status, 404);
  assert.equal((await res.json()).error.code, "not_found");
});

Deno.test("handleApiErrors answers a known path with the wrong method with 405 and Allow", async () => {
  const res = await _app().request("/things/7", { method: "DELETE" });
  assert.equal(res.status, 405);
  assert.equal(res.headers.get("Allow"), "GET");
  assert.equal((await res.json()).error.code, "method_not_allowed");
  const post = await _app().request("/things", { method: "GET" });
  assert.equal(post.status, 405);
  assert.equal(post.headers.get("Allow"), "POST");
});

Deno.test("handleApiErrors keeps apiError bodies and shapes bare HTTPExceptions", async () => {
  const shaped = await _app().request("/shaped");
  assert.equal(shaped.status, 400);
  assert.deepEqual(await shaped.json(), {
    error: { code: "invalid_x", message: "x is wrong", field: "x" },
  });
  const plain = await _app().request("/plain");
  assert.equal(plain.status, 403);
  assert.deepEqual(await plain.json(), { error: { code: "forbidden", message: "no" } });
});

Deno.test("handleApiErrors hides the detail of an unexpected error behind 500 internal", async () => {
  const res = await _app().request("/boom");
  assert.equal(res.status, 500);
  const text = await res.text();
  assert.doesNotMatch(text, /secret detail/);
  assert.equal(JSON.parse(text).error.code, "internal");
});

Deno.test("handleApiErrors answers a plain GET on a WebSocket route with 426 upgrade_required", async () => {
  const res = await _app().request("/ws/socket");
  assert.equal(res.status, 426);
  assert.equal(res.headers.get("Upgrade"), "websocket");
  assert.equal((await res.json()).error.code, "upgrade_required");
});
