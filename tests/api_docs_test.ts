import assert from "node:assert/strict";
import SwaggerParser from "@apidevtools/swagger-parser";
import { Parser } from "@asyncapi/parser";
import { startService } from "../service.ts";
import { apiCoverage } from "../routes/_api_coverage.ts";
import { cleanupRun, runId, testConfig, token } from "./_support.ts";
import { apiErrorBodySchema } from "../routes/api_error.ts";
import { historyPageSchema } from "../routes/drivers_http.ts";
import { livenessSchema, readinessSchema } from "../routes/health_http.ts";
import { orderNotificationsSchema } from "../routes/orders_http.ts";
import { orderSchema } from "../domain/order.ts";
import { launchBrowser, openPage } from "./_browser.ts";

// The route tests hold the documents to an app built from the route factories; this one holds
// them to the app the service itself builds, so a route mounted in a wiring file is covered too.

Deno.test("the running service documents every route it serves, and serves valid documents", async () => {
  const run = runId();
  const service = await startService(testConfig(run));
  try {
    const base = `http://127.0.0.1:${service.port}`;
    const openApi = await (await fetch(`${base}/openapi.json`)).json();
    const asyncApi = await (await fetch(`${base}/asyncapi.json`)).json();
    const coverage = apiCoverage(service.routes, openApi, asyncApi);
    assert.deepEqual(coverage, { undocumented: [], stale: [] });
    // Not in dev mode: the dev token route is neither served nor documented.
    assert.equal("/dev/token" in openApi.paths, false);
    assert.ok(service.routes.some((r) => r.path === "/ws/driver"), "routes are listed");

    await SwaggerParser.validate(openApi);
    const { diagnostics } = await new Parser().parse(JSON.stringify(asyncApi));
    assert.deepEqual(diagnostics.filter((d) => d.severity === 0), []);
    assert.equal(asyncApi.servers.service.host, `127.0.0.1:${service.port}`);

    // The answers match the schemas the documents are made of (no key left undocumented).
    const ops = { Authorization: `Bearer ${await token("ops", `ops-${run}`)}` };
    const get = async (path: string, init: RequestInit = {}) => {
      const res = await fetch(`${base}${path}`, { headers: ops, ...init });
      return { status: res.status, body: await res.json() };
    };
    const created = await get("/orders", {
      method: "POST",
      headers: { ...ops, "content-type": "application/json" },
      body: JSON.stringify({
        restaurantId: `r-${run}`,
        customerId: `c-${run}`,
        pickup: { lat: 12.95, lon: 77.6 },
        dropoff: { lat: 12.97, lon: 77.6 },
      }),
    });
    assert.equal(created.status, 201);
    orderSchema.strict().parse(created.body);
    const id = created.body.id;
    orderSchema.strict().parse((await get(`/orders/${id}`)).body);
    orderNotificationsSchema.strict().parse((await get(`/orders/${id}/notifications`)).body);
    historyPageSchema.strict().parse((await get(`/drivers/d-${run}/history`)).body);
    readinessSchema.strict().parse((await get("/readyz")).body);
    livenessSchema.strict().parse((await get("/healthz")).body);
    const missing = await get(`/orders/nope-${run}`);
    assert.equal(missing.status, 404);
    apiErrorBodySchema(["order_not_found"]).strict().parse(missing.body);

    const page = await fetch(`${base}/docs`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<script type="module" src="\/pages\/api_docs.js">/);
    const script = await fetch(`${base}/pages/api_docs.js`);
    assert.equal(script.status, 200);
    await script.body?.cancel();
  } finally {
    await service.close();
    await cleanupRun(run);
  }
});

Deno.test("the /docs page renders every operation and channel in Chromium, loading nothing from elsewhere", async () => {
  const run = runId();
  const service = await startService(testConfig(run));
  const browser = await launchBrowser();
  try {
    const base = `http://127.0.0.1:${service.port}`;
    const openApi = await (await fetch(`${base}/openapi.json`)).json();
    const operations = Object.values(openApi.paths).flatMap((item) => Object.keys(item as object));
    const { page, errors } = await openPage(browser, `${base}/docs`);
    const requests: string[] = [];
    page.on("request", (request) => requests.push(request.url()));
    await page.reload();
    await page.waitForSelector("#channel-fleet");
    assert.equal(await page.locator("#rest section.op").count(), operations.length);
    assert.equal(await page.locator("#sockets section.op").count(), 4);
    // driver-locations, order-events, zone-events
    assert.equal(await page.locator("#topics section.op").count(), 3);
    for (const topic of ["driverLocations", "orderEvents", "zoneEvents"]) {
      assert.match(await page.locator(`#topic-${topic}`).innerText(), /schema-version/, topic);
    }
    const driver = await page.locator("#channel-driver").innerText();
    for (const type of ["location", "locations", "ack", "error", "4009"]) {
      assert.match(driver, new RegExp(type), `driver channel shows ${type}`);
    }
    assert.deepEqual(requests.filter((url) => !url.startsWith(base)), []);
    assert.deepEqual(errors, []);
    if (Deno.env.get("API_DOCS_SCREENSHOT")) {
      await page.screenshot({ path: Deno.env.get("API_DOCS_SCREENSHOT")!, fullPage: false });
    }
  } finally {
    await browser.close();
    await service.close();
    await cleanupRun(run);
  }
});
