import assert from "node:assert/strict";
import { Hono } from "hono";
import { originGuard } from "./origin_guard.ts";

function _app(allowed: readonly string[]): Hono {
  const app = new Hono();
  app.get("/ws", originGuard(allowed), (c) => c.text("upgraded"));
  return app;
}

async function _status(app: Hono, origin?: string): Promise<number> {
  const headers: Record<string, string> = { Upgrade: "websocket" };
  if (origin !== undefined) headers.Origin = origin;
  const response = await app.request("/ws", { headers });
  await response.body?.cancel();
  return response.status;
}

Deno.test("originGuard answers 403 with a JSON error for an origin not in the list", async () => {
  const app = _app(["https://app.example"]);
  const response = await app.request("/ws", { headers: { Origin: "https://evil.example" } });
  assert.equal(response.status, 403);
  const body = await response.json();
  assert.equal(body.error.code, "origin_not_allowed");
  assert.match(body.error.message, /evil\.example/);
});

Deno.test("originGuard lets a listed origin through, ignoring case and a trailing slash", async () => {
  const app = _app(["https://App.example/", "http://localhost:8000"]);
  assert.equal(await _status(app, "https://app.example"), 200);
  assert.equal(await _status(app, "http://localhost:8000"), 200);
  assert.equal(await _status(app, "http://localhost:8001"), 403);
});

Deno.test("originGuard lets requests without an Origin header through (apps, servers)", async () => {
  assert.equal(await _status(_app(["https://app.example"])), 200);
  assert.equal(await _status(_app([])), 200);
});

Deno.test("originGuard refuses the opaque origin null unless listed", async () => {
  assert.equal(await _status(_app(["https://app.example"]), "null"), 403);
});

Deno.test("originGuard with * in the list admits every origin", async () => {
  const app = _app(["https://app.example", "*"]);
  assert.equal(await _status(app, "https://anything.example"), 200);
});

Deno.test("originGuard with an empty list refuses every browser origin", async () => {
  assert.equal(await _status(_app([]), "http://localhost:8000"), 403);
});

Deno.test("originGuard always admits the service's own origin (scheme of the URL, Host header), whatever the list", async () => {
  const app = _app(["http://localhost:8000", "http://127.0.0.1:8000"]);
  const own = async (url: string, origin: string, host?: string) => {
    const headers: Record<string, string> = { Upgrade: "websocket", Origin: origin };
    if (host !== undefined) headers.Host = host;
    const response = await app.request(url, { headers });
    await response.body?.cancel();
    return response.status;
  };
  assert.equal(await own("http://localhost:9000/ws", "http://localhost:9000"), 200);
  assert.equal(
    await own("http://10.0.0.5:9000/ws", "http://tracking.example", "tracking.example"),
    200,
  );
  assert.equal(await own("http://localhost:80/ws", "http://LOCALHOST"), 200, "default port");
  // Another port, another scheme, another host, or "null" is not the service's own origin.
  assert.equal(await own("http://localhost:9000/ws", "http://localhost:9001"), 403);
  assert.equal(await own("http://localhost:9000/ws", "https://localhost:9000"), 403);
  assert.equal(await own("http://localhost:9000/ws", "http://evil.example:9000"), 403);
  assert.equal(await own("http://localhost:9000/ws", "null"), 403);
});
