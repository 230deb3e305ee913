import assert from "node:assert/strict";
import { Hono } from "hono";
import { pathIds } from "./path_ids.ts";

function _app(): Hono {
  const app = new Hono();
  app.use("*", pathIds());
  app.get("/drivers/:id", (c) => c.json({ id: c.req.param("id") }));
  return app;
}

Deno.test("pathIds: a bidi override or a noncharacter in a path id is 400 invalid_id naming it", async () => {
  const cases: [string, string][] = [["d%E2%80%AE1", "U+202E"], ["d%EF%BF%BF", "U+FFFF"]];
  for (const [raw, codePoint] of cases) {
    const res = await _app().request(`/drivers/${raw}`);
    assert.equal(res.status, 400, raw);
    const { error } = await res.json();
    assert.equal(error.code, "invalid_id");
    assert.match(error.message, /invisible format characters/);
    assert.ok(error.message.includes(codePoint), error.message);
  }
  assert.equal((await _app().request("/drivers/d-%F0%9F%9A%9A")).status, 200);
});
