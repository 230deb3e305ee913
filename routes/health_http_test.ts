import assert from "node:assert/strict";
import { healthHttpRoute } from "./health_http.ts";
import { handleApiErrors } from "./error_handling.ts";

const TOKEN = "metrics-token-0123456789";

function _app(metricsToken?: string) {
  const app = healthHttpRoute({
    checks: {},
    metrics: () => Promise.resolve("up 1\n"),
    draining: () => false,
    ...(metricsToken === undefined ? {} : { metricsToken }),
  });
  handleApiErrors(app, { log: () => {} });
  return app;
}

Deno.test("GET /metrics is open when no METRICS_TOKEN is set", async () => {
  const res = await _app().request("/metrics");
  assert.equal(res.status, 200);
  assert.equal(await res.text(), "up 1\n");
});

Deno.test("GET /metrics with METRICS_TOKEN: 401 metrics_unauthorized without or with a wrong token", async () => {
  const app = _app(TOKEN);
  const none = await app.request("/metrics");
  assert.equal(none.status, 401);
  assert.equal(none.headers.get("WWW-Authenticate"), 'Bearer realm="metrics"');
  assert.equal((await none.json()).error.code, "metrics_unauthorized");
  for (const header of [`Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(1)}`, TOKEN]) {
    const wrong = await app.request("/metrics", { headers: { Authorization: header } });
    assert.equal(wrong.status, 401, header);
    assert.match(wrong.headers.get("WWW-Authenticate")!, /invalid_token/);
    await wrong.body?.cancel();
  }
  const ok = await app.request("/metrics", { headers: { Authorization: `Bearer ${TOKEN}` } });
  assert.equal(ok.status, 200);
  assert.equal(await ok.text(), "up 1\n");
});

Deno.test("GET /healthz stays open when METRICS_TOKEN is set", async () => {
  const res = await _app(TOKEN).request("/healthz");
  assert.equal(res.status, 200);
  await res.body?.cancel();
});
