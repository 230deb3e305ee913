import assert from "node:assert/strict";
import type { Page, Request, Response } from "playwright-core";
import { eventually, runId, token } from "./_support.ts";
import { WsClient } from "./_ws_client.ts";
import { createOrder, driverFixes, withPagesService } from "./_browser.ts";
import { north } from "./_geo.ts";

/** A driver id that runs a script and adds elements if any page puts it in as HTML. */
const PAYLOAD = `<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>`;

/** Records every Content-Security-Policy violation the page reports in `window.__violations`. */
const RECORD_VIOLATIONS = `window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__violations.push(e.effectiveDirective));`;

/** Sends fixes at `at` until every page shows the driver's marker. */
async function untilDriverShown(pages: Page[], drive: ReturnType<typeof driverFixes>, at: {
  lat: number;
  lon: number;
}) {
  const shown = async () =>
    (await Promise.all(pages.map((p) => p.$(".pin-driver")))).every(Boolean);
  await eventually("the driver on every page", async () => {
    await drive([at], 200);
    return await shown();
  });
}

Deno.test({
  name:
    "track and restaurant pages show a driver id holding HTML as text, in tooltips too; none runs",
  fn: () =>
    withPagesService(async ({ base, ws, ops, page: open }) => {
      const run = runId();
      const driverId = `${PAYLOAD}${run}`;
      const order = await createOrder(base, ops, run, driverId);
      const customer = await token("customer", order.customerId);
      const { page: track } = await open(`/track/${order.id}?token=${customer}`);
      const restaurantToken = await token("restaurant", `r-${run}`);
      const { page: restaurant } = await open(`/restaurant/r-${run}?token=${restaurantToken}`);
      for (const page of [track, restaurant]) await page.waitForSelector("#link[data-state=open]");
      const driver = await WsClient.connect(`${ws}/ws/driver`, await token("driver", driverId));
      try {
        const drive = driverFixes(driver);
        const start = north(order.pickup, -1000);
        await untilDriverShown([track, restaurant], drive, start);
        // Close to the pick-up: the restaurant's "arriving" alert names the driver.
        await drive(Array.from({ length: 9 }, (_, k) => north(start, (k + 1) * 100)));
        await restaurant.waitForSelector("#alert:has-text('arriving')");
        assert.ok((await restaurant.textContent("#alert"))?.includes(driverId), "alert as text");
        for (const page of [track, restaurant]) {
          await page.hover(".pin-driver");
          const tip = await page.waitForSelector(".leaflet-tooltip:has-text('Driver')");
          assert.equal(await tip.textContent(), `Driver ${driverId}`, "the id as literal text");
          assert.equal(
            await page.evaluate<number>(
              "document.querySelectorAll('img[src=\"x\"], #app script, .leaflet-pane script').length",
            ),
            0,
            "no element made from the id",
          );
          assert.equal(await page.evaluate("window.__xss"), undefined, "no script ran");
        }
      } finally {
        await driver.close();
      }
    }),
});

const PAGE_HEADERS = {
  "referrer-policy": /^no-referrer$/,
  "x-content-type-options": /^nosniff$/,
  "content-security-policy": new RegExp(
    [
      "default-src 'none'",
      "script-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
    ].join(".*"),
  ),
};

function assertPageHeaders(where: string, headers: Record<string, string>) {
  for (const [name, pattern] of Object.entries(PAGE_HEADERS)) {
    assert.match(headers[name] ?? "(absent)", pattern, `${name} of ${where}`);
  }
}

Deno.test({
  name:
    "pages and assets carry CSP, Referrer-Policy and nosniff; the map renders; inline script is blocked",
  fn: () =>
    withPagesService(async ({ base, ops, page: open }) => {
      const run = runId();
      for (
        const path of [
          "/",
          "/track/x",
          "/restaurant/x",
          "/replay",
          "/docs",
          "/pages/config.json",
          "/pages/track.js",
          "/pages/app.css",
          "/pages/api_docs.css",
          "/assets/leaflet/leaflet.js",
          "/assets/leaflet/leaflet.css",
          "/assets/leaflet/images/marker-icon.png",
        ]
      ) {
        const res = await fetch(`${base}${path}`);
        await res.body?.cancel();
        assert.equal(res.status, 200, path);
        assertPageHeaders(path, Object.fromEntries(res.headers));
      }

      const order = await createOrder(base, ops, run, `d-${run}`);
      const responses: Response[] = [];
      const { page } = await open(
        `/track/${order.id}?token=${await token("customer", order.customerId)}`,
        {
          initScript: RECORD_VIOLATIONS,
          allow: /Content Security Policy/,
          before: (p) => p.on("response", (r) => responses.push(r)),
        },
      );
      await page.waitForSelector("#status[data-status=assigned]");
      await page.waitForSelector("#link[data-state=open]"); // connect-src lets the socket through
      // Leaflet places the pins with inline styles (set through the CSSOM, which CSP allows).
      assert.match((await page.getAttribute(".pin-pickup", "style")) ?? "", /translate3d/);
      assert.deepEqual(await page.evaluate("window.__violations"), [], "no violation while used");
      const own = responses.filter((r) =>
        r.url().startsWith(base) && r.request().method() === "GET"
      );
      assert.ok(own.length >= 6, "the page, its scripts, styles and configuration");
      for (const r of own.filter((r) => !/\/orders\//.test(r.url()))) {
        assertPageHeaders(r.url(), await r.allHeaders());
      }

      await page.evaluate(`(() => {
        const script = document.createElement("script");
        script.textContent = "window.__inline = 1";
        document.body.append(script);
        const box = document.createElement("div");
        box.innerHTML = '<img src="/pages/app.css" onerror="window.__inline = 2">';
        document.body.append(box);
      })()`);
      await eventually(
        "both violations reported",
        async () => (await page.evaluate<string[]>("window.__violations")).length >= 2,
      );
      assert.deepEqual(
        (await page.evaluate<string[]>("window.__violations")).sort(),
        ["script-src-attr", "script-src-elem"],
      );
      assert.equal(await page.evaluate("window.__inline"), undefined, "no inline script ran");
    }),
});

Deno.test({
  name:
    "a token in the address bar is removed, sent in no Referer, kept for reloads; fleet links carry none",
  fn: () =>
    withPagesService(async ({ base, ws, ops, page: open }) => {
      const run = runId();
      const driverId = `sd-${run}`;
      const order = await createOrder(base, ops, run, driverId);
      const customer = await token("customer", order.customerId);
      const requests: Request[] = [];
      const { page } = await open(`/track/${order.id}?token=${customer}`, {
        before: (p) => p.on("request", (r) => requests.push(r)),
      });
      await page.waitForSelector("#status[data-status=assigned]");
      assert.equal(page.url(), `${base}/track/${order.id}`, "the token left the address bar");
      assert.ok(requests.length >= 6, "the page, its scripts, styles and the API");
      for (const request of requests) {
        const referer = (await request.allHeaders())["referer"];
        assert.equal(referer, undefined, `no Referer on ${request.url()}`);
      }
      await page.reload();
      await page.waitForSelector("#status[data-status=assigned]"); // the tab kept the token

      const ops1 = await token("ops", "ops-1");
      const { page: fleet } = await open(`/?token=${ops1}`);
      await fleet.waitForSelector("#link[data-state=open]");
      assert.equal(fleet.url(), `${base}/`);
      const driver = await WsClient.connect(`${ws}/ws/driver`, await token("driver", driverId));
      try {
        const drive = driverFixes(driver);
        const marker = `.leaflet-marker-icon[title="${driverId}"]`;
        await eventually("the driver on the fleet map", async () => {
          await drive([{ lat: 13.02, lon: 77.6 }], 200);
          return (await fleet.$(marker)) !== null;
        });
        await fleet.click(marker);
        // A locator, not a handle: the panel is rebuilt as fixes arrive, and a locator finds the
        // link again where a handle would be detached.
        const link = fleet.locator("#driver-order a");
        assert.equal(await link.getAttribute("href"), `/track/${order.id}`, "no token in a link");
        await link.click();
        await fleet.waitForSelector("#status[data-status=assigned]"); // same tab, same token
        assert.ok(!fleet.url().includes(ops1));
      } finally {
        await driver.close();
      }
    }),
});
