import assert from "node:assert/strict";
import { sign } from "hono/jwt";
import { STUB_SECRET, stubServiceApp } from "./_api_coverage.ts";

/** A request path for a route pattern: each `:param` becomes `x1`, a `*` becomes `x`. */
function _path(pattern: string): string {
  return pattern.replace(/:\w+/g, "x1").replace(/\*/g, "x");
}

Deno.test("no REST route takes ?token=, even with an Upgrade header: each that needs a token answers 401 token_in_query", async () => {
  await using stub = stubServiceApp();
  const exp = Math.floor(Date.now() / 1000) + 600;
  const token = await sign({ sub: "o1", role: "ops", exp }, STUB_SECRET, "HS256");
  const paths = new Set(
    stub.app.routes.filter((r) => r.method === "GET" && !r.path.startsWith("/ws/"))
      .map((r) => _path(r.path)),
  );
  assert.ok(paths.has("/fleet/drivers/x1"), [...paths].join(" "));
  const checked: string[] = [];
  for (const path of paths) {
    const bare = await stub.app.request(path);
    await bare.body?.cancel();
    if (bare.status !== 401) continue; // a public route: nothing to take a token for
    checked.push(path);
    const res = await stub.app.request(`${path}?token=${token}`, {
      headers: { Upgrade: "websocket", Connection: "Upgrade" },
    });
    const text = await res.text();
    assert.equal(res.status, 401, `${path}: ${res.status} ${text}`);
    assert.equal(JSON.parse(text).error.code, "token_in_query", path);
  }
  assert.ok(checked.length >= 5, checked.join(" "));
});
