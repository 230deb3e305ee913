import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { eventually, runId, token } from "./_support.ts";
import { WsClient } from "./_ws_client.ts";
import {
  createOrder,
  driverFixes,
  RECORD_SOCKETS,
  screenshot,
  withPagesService,
} from "./_browser.ts";
import { north } from "./_geo.ts";

/** A short threshold, so the test sees a driver go stale within seconds. */
const STALE_AFTER_MS = 3_000;

/** Whether the driver's marker lies inside the map's box on the screen. */
async function driverInsideMap(page: Page): Promise<boolean> {
  const map = await page.locator("#map").boundingBox();
  const pin = await page.locator(".pin-driver").boundingBox();
  if (!map || !pin) return false;
  const [x, y] = [pin.x + pin.width / 2, pin.y + pin.height / 2];
  return x >= map.x && x <= map.x + map.width && y >= map.y && y <= map.y + map.height;
}

Deno.test({
  name:
    "track page: frames the driver with both pins, shows a legend, and marks a driver who stopped reporting stale with its age and no countdown",
  fn: () =>
    withPagesService(async ({ base, ws, ops, page: open }) => {
      const run = runId();
      const driverId = `d-${run}`;
      const order = await createOrder(base, ops, run, driverId);
      const customer = await token("customer", order.customerId);
      const { page } = await open(`/track/${order.id}?token=${customer}`, {
        viewport: { width: 375, height: 812 },
        initScript: RECORD_SOCKETS,
      });
      await page.waitForSelector("#link[data-state=open]");
      const legend = (await page.textContent("#legend")) ?? "";
      for (const line of ["R", "Pick-up (restaurant)", "⌂", "Drop-off (you)", "▲", "Your driver"]) {
        assert.ok(legend.includes(line), `the legend shows ${line}: ${legend}`);
      }
      assert.equal(await page.textContent(".pin-pickup span"), "R");
      assert.equal(await page.textContent(".pin-dropoff span"), "⌂");

      const driver = await WsClient.connect(`${ws}/ws/driver`, await token("driver", driverId));
      try {
        const drive = driverFixes(driver);
        // 4 km south of the pickup: outside the view that frames only the pickup and drop-off.
        const start = north(order.pickup, -4000);
        const deadline = Date.now() + 30_000;
        while (!(await page.$(".pin-driver")) && Date.now() < deadline) await drive([start], 200);
        await page.waitForSelector(".pin-driver");
        await eventually("the driver inside the map", () => driverInsideMap(page));
        await drive([1, 2, 3].map((k) => north(start, k * 50)));
        await eventually("an ETA counting down", async () =>
          /\d+ (min|s)/.test((await page.textContent("#eta")) ?? ""));
        assert.match((await page.textContent("#age")) ?? "", /^position \d+ s old$/);
        assert.equal(await page.getAttribute("#age", "data-stale"), "false");
        assert.ok(await driverInsideMap(page), "the driver stays in view as it moves");

        // The driver stops reporting: past STALE_AFTER_MS the server says so, and the page shows it.
        await page.waitForSelector("#age[data-stale=true]", { timeout: STALE_AFTER_MS + 10_000 });
        assert.match(
          (await page.textContent("#age")) ?? "",
          /^Driver not reporting: position \d+ s old$/,
        );
        await page.waitForSelector(".pin-driver.stale");
        assert.equal(await page.textContent("#eta"), "–", "no countdown while stale");
        assert.equal(await page.getAttribute("#eta", "data-stale"), "true");
        const stale = await page.evaluate<{ ageMs: number }[]>(
          "window.__frames.filter((f) => f.type === 'stale')",
        );
        assert.equal(stale.length, 1, "one stale frame");
        assert.ok(stale[0]!.ageMs >= STALE_AFTER_MS, `stale at ${stale[0]!.ageMs} ms`);
        const ageBefore = (await page.textContent("#age")) ?? "";
        await new Promise((r) =>
          setTimeout(r, 2_100)
        );
        assert.equal(await page.textContent("#eta"), "–", "the countdown stays stopped");
        assert.notEqual(await page.textContent("#age"), ageBefore, "the age keeps growing");
        await screenshot(page, "track-stale-375");

        // The user pans away: the map stops following and offers to recentre.
        assert.equal(await page.isVisible("#recentre"), false);
        const box = (await page.locator("#map").boundingBox())!;
        await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
        await page.mouse.down();
        await page.mouse.move(box.x + 20, box.y + 20, { steps: 5 });
        await page.mouse.up();
        await page.waitForSelector("#recentre", { state: "visible" });

        // The driver reports again: fresh, counting down again.
        await drive([north(start, 200)]);
        await page.waitForSelector("#age[data-stale=false]");
        await page.waitForSelector(".pin-driver:not(.stale)");
        await eventually("the ETA counting again", async () =>
          /\d+ (min|s)/.test((await page.textContent("#eta")) ?? ""));
        await page.click("#recentre");
        await page.waitForSelector("#recentre", { state: "hidden" });
        assert.ok(await driverInsideMap(page), "recentred on the driver and both pins");
      } finally {
        await driver.close();
      }
    }, { STALE_AFTER_MS: String(STALE_AFTER_MS) }),
});
