import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { sign } from "hono/jwt";
import { DEV_JWT_SECRET } from "../infra/config.ts";
import { eventually, runId, token } from "./_support.ts";
import { WsClient } from "./_ws_client.ts";
import {
  createOrder,
  driverFixes,
  RECORD_SOCKETS,
  screenshot,
  withPagesService as withService,
} from "./_browser.ts";
import { north } from "./_geo.ts";

/** The screen position of a Leaflet marker (its CSS transform). */
function markerTransform(page: Page, selector: string): Promise<string | null> {
  return page.getAttribute(selector, "style").catch(() => null);
}

Deno.test({
  name: "track page: the driver moves, ETA and status change through to delivered, toasts show",
  fn: () =>
    withService(async ({ base, ws, ops, page: open }) => {
      const run = runId();
      const driverId = `d-${run}`;
      const order = await createOrder(base, ops, run, driverId);
      const customer = await token("customer", order.customerId);
      const { page } = await open(`/track/${order.id}?token=${customer}`, {
        viewport: { width: 375, height: 812 },
        initScript: RECORD_SOCKETS,
      });
      await page.waitForSelector("#status[data-status=assigned]");
      await page.waitForSelector("#link[data-state=open]");

      const driver = await WsClient.connect(`${ws}/ws/driver`, await token("driver", driverId));
      try {
        const drive = driverFixes(driver);
        const start = north(order.pickup, -1200);
        // Until this instance reads the driver's partition live, fixes are not shown; keep sending.
        const deadline = Date.now() + 30_000;
        while (!(await page.$(".pin-driver")) && Date.now() < deadline) await drive([start], 200);
        await page.waitForSelector(".pin-driver");
        const before = await markerTransform(page, ".pin-driver");
        await drive(Array.from({ length: 8 }, (_, k) => north(start, (k + 1) * 100)));
        await eventually("the driver marker to move", async () =>
          (await markerTransform(page, ".pin-driver")) !== before);
        const etaA = await page.textContent("#eta");
        assert.match(etaA ?? "", /\d+ (min|s)/, "an ETA is shown");
        await drive(Array.from({ length: 4 }, (_, k) =>
          north(start, 900 + (k + 1) * 100)));
        await eventually(
          "the ETA to change",
          async () => (await page.textContent("#eta")) !== etaA,
        );

        // The connection drops; the pickup happens meanwhile; the page continues from the
        // snapshot it gets on reconnecting.
        await page.evaluate("window.__sockets.at(-1).close()");
        driver.send({ type: "order", orderId: order.id, event: "picked_up" });
        await page.waitForSelector("#status[data-status=picked_up]");
        await page.waitForSelector("#timeline li[data-step=picked_up].done");
        const snapshots = await page.evaluate<string[]>(
          "window.__frames.filter((f) => f.type === 'snapshot').map((f) => f.order.status)",
        );
        assert.deepEqual(snapshots, ["assigned", "picked_up"], "the second snapshot carried it");
        assert.equal(
          await page.evaluate<number>(
            "window.__frames.filter((f) => f.type === 'status' && f.status === 'picked_up').length",
          ),
          0,
          "no status frame: the pickup came from the snapshot",
        );
        const toDropoff = [1500, 1200, 900, 700, 495, 400, 300, 200];
        await drive(toDropoff.map((left) => north(order.dropoff, -left)));
        await page.waitForSelector(".toast-notice:has-text('500 m away')");
        await screenshot(page, "track-375");
        await drive([95, 60].map((left) => north(order.dropoff, -left)));
        driver.send({ type: "order", orderId: order.id, event: "delivered" });
        await page.waitForSelector("#status[data-status=delivered]");
        await page.waitForSelector("#timeline li[data-step=delivered].done");
        assert.equal(await page.textContent("#eta"), "Delivered");
        await eventually(
          "the socket to finish",
          async () => (await page.textContent("#link")) === "finished",
        );
        await screenshot(page, "track-delivered-375");
        // Fits a 375 px screen: nothing wider than the viewport.
        const width = await page.evaluate<number>("document.documentElement.scrollWidth");
        assert.ok(width <= 375, `page is ${width} px wide`);
      } finally {
        await driver.close();
      }
    }),
});

Deno.test({
  name: "track page: someone else's order shows the refusal, not data; no token shows sign-in",
  fn: () =>
    withService(async ({ base, ops, page: open }) => {
      const run = runId();
      const order = await createOrder(base, ops, run, `d-${run}`);
      const stranger = await token("customer", `someone-else-${run}`);
      const { page } = await open(`/track/${order.id}?token=${stranger}`, {
        allow: /status of 403 .*\/orders\//,
      });
      await page.waitForSelector("#refusal");
      assert.match((await page.textContent("#refusal")) ?? "", /Not your order/);
      assert.equal(await page.$("#map"), null, "no map, no data");
      assert.equal(await page.$("#status"), null);
      await screenshot(page, "track-refused");
      const signIn = await open(`/track/${order.id}`);
      await signIn.page.waitForSelector("#token-form");
      assert.equal(
        await signIn.page.$("button.dev-role"),
        null,
        "no dev sign-in with a real secret",
      );
    }),
});

Deno.test({
  name:
    "fleet map: a driver the test moves appears, its marker moves, a click shows its fix and order",
  fn: () =>
    withService(async ({ base, ws, ops, page: open }) => {
      const run = runId();
      const driverId = `fd-${run}`;
      const order = await createOrder(base, ops, run, driverId);
      const { page } = await open(`/?token=${await token("ops", "ops-1")}`);
      await page.waitForSelector("#link[data-state=open]");
      const driver = await WsClient.connect(`${ws}/ws/driver`, await token("driver", driverId));
      try {
        const drive = driverFixes(driver);
        const marker = `.leaflet-marker-icon[title="${driverId}"]`;
        const start = { lat: 13.02, lon: 77.6 }; // region "north"
        const deadline = Date.now() + 30_000;
        while (!(await page.$(marker)) && Date.now() < deadline) await drive([start], 200);
        await page.waitForSelector(marker);
        const before = await markerTransform(page, marker);
        await drive(Array.from({ length: 6 }, (_, k) => north(start, (k + 1) * 400)), 200);
        await eventually("the fleet marker to move", async () =>
          (await markerTransform(page, marker)) !== before);
        assert.ok(Number(await page.textContent("#online")) >= 1, "drivers online counted");
        await eventually("the active order count", async () =>
          /^\d+$/.test((await page.textContent("#orders")) ?? ""));
        // Its order is assigned: the marker shows a driver on the way to a pickup.
        await page.waitForSelector(`${marker}.state-to_pickup`);
        await page.click(marker);
        await page.waitForSelector(`#driver-order a[href^="/track/${order.id}"]`);
        assert.match((await page.textContent("#fix-age")) ?? "", /^\d+ s ago$/);
        assert.equal(await page.textContent("#speed"), "28.8 km/h");
        assert.equal(await page.textContent("#driver-state"), "to pickup");
        // A click draws its last minutes from the stored history: a line of two points or more
        // (Leaflet merges the points that fall on the same pixels).
        await eventually("the trail", async () =>
          /^M[\d.]+ [\d.]+L/.test((await page.getAttribute("path.trail", "d")) ?? ""));
        await screenshot(page, "fleet");

        // Past FLEET_MAX_POINTS (5) drivers in view the map shows clusters that count them all.
        const others = await Promise.all(Array.from({ length: 6 }, async (_, i) => {
          const d = await WsClient.connect(
            `${ws}/ws/driver`,
            await token("driver", `fo${i}-${run}`),
          );
          return { d, drive: driverFixes(d) };
        }));
        try {
          await eventually("clusters on the map", async () => {
            await Promise.all(others.map((o, i) =>
              o.drive([{ lat: 13.0 + i * 0.01, lon: 77.55 + (i % 3) * 0.05 }], 0)
            ));
            await new Promise((r) =>
              setTimeout(r, 300)
            );
            return (await page.$$(".pin-cluster")).length > 0;
          });
          await eventually("every driver counted", async () =>
            (await page.textContent("#inview")) === "7");
          const counts = await Promise.all(
            (await page.$$(".pin-cluster")).map(async (c) =>
              Number(await c.textContent())
            ),
          );
          assert.ok(
            counts.every((n) =>
              n >= 2
            ),
            `clusters hold several drivers: ${counts}`,
          );
          await screenshot(page, "fleet-clusters");
        } finally {
          await Promise.all(others.map((o) =>
            o.d.close()
          ));
        }
      } finally {
        await driver.close();
      }
    }, {
      MAP_TILES_URL: "https://tile.openstreetmap.org/{z}/{x}/{y}.png", // unreachable here
      FLEET_MAX_POINTS: "5",
    }),
});

Deno.test({
  name: "restaurant page: active orders with status and ETA, an alert when the driver arrives",
  fn: () =>
    withService(async ({ base, ws, ops, page: open }) => {
      const run = runId();
      const restaurant = await token("restaurant", `r-${run}`);
      const waiting = await createOrder(base, ops, run, `other-${run}`, { lat: 12.94, lon: 77.61 });
      const { page } = await open(`/restaurant/r-${run}?token=${restaurant}`);
      await page.waitForSelector("#link[data-state=open]");
      await page.waitForSelector(`tr[data-order="${waiting.id}"][data-status=assigned]`);
      // An order created while the dashboard is open appears too.
      const driverId = `rd-${run}`;
      const order = await createOrder(base, ops, run, driverId);
      await page.waitForSelector(`tr[data-order="${order.id}"][data-status=assigned]`);
      const driver = await WsClient.connect(`${ws}/ws/driver`, await token("driver", driverId));
      try {
        const drive = driverFixes(driver);
        const start = north(order.pickup, -1000);
        const deadline = Date.now() + 30_000;
        while (!(await page.$(".pin-driver")) && Date.now() < deadline) await drive([start], 200);
        await page.waitForSelector(`tr[data-order="${order.id}"] td.eta:has-text("to here")`);
        assert.equal(await page.isHidden("#alert"), true, "no alert while the driver is far");
        await drive(Array.from({ length: 9 }, (_, k) => north(start, (k + 1) * 100)));
        await page.waitForSelector("#alert:has-text('arriving')");
        await page.waitForSelector(".toast-alert");
        assert.match((await page.textContent("#alert")) ?? "", new RegExp(driverId));
        await screenshot(page, "restaurant");
        driver.send({ type: "order", orderId: order.id, event: "picked_up" });
        await page.waitForSelector(`tr[data-order="${order.id}"][data-status=picked_up]`);
      } finally {
        await driver.close();
      }
    }),
});

Deno.test({
  name: "replay page: loads a driver's history page by page, draws the track, plays and scrubs",
  fn: () =>
    withService(async ({ base, ws, ops, page: open }) => {
      const run = runId();
      const driverId = `hd-${run}`;
      const COUNT = 2500;
      const t0 = Date.now() - COUNT * 1000;
      const driver = await WsClient.connect(`${ws}/ws/driver`, await token("driver", driverId));
      try {
        // A loop east then north, one fix a second, sent as buffered batches of 100.
        const fixes = Array.from({ length: COUNT }, (_, i) => ({
          lat: 12.95 + (i < COUNT / 2 ? 0 : (i - COUNT / 2) * 2e-5),
          lon: 77.55 + Math.min(i, COUNT / 2) * 2e-5,
          ts: t0 + i * 1000,
          speed: 2.2,
        }));
        for (let i = 0; i < COUNT; i += 100) {
          driver.send({ type: "locations", points: fixes.slice(i, i + 100) });
        }
        await eventually("the history to be stored", async () => {
          const res = await fetch(
            `${base}/drivers/${driverId}/history?from=${t0 + (COUNT - 1) * 1000}`,
            { headers: ops },
          );
          return (await res.json()).points.length === 1;
        });
      } finally {
        await driver.close();
      }
      const from = t0 - 1000;
      const to = Date.now();
      const { page } = await open(
        `/replay?token=${await token("ops", "ops-1")}&driver=${driverId}&from=${from}&to=${to}`,
      );
      await page.waitForSelector("#progress[data-state=done]");
      assert.equal(await page.textContent("#progress"), `${COUNT} points · 3 pages`);
      // The track is an L: east, then north. Leaflet simplifies it to its corners.
      const box = await page.evaluate<{ width: number; height: number; corners: number }>(`(() => {
        const path = document.querySelector("path.leaflet-interactive[stroke='#2563eb']");
        const b = path.getBBox();
        return { width: b.width, height: b.height, corners: path.getAttribute("d").split("L").length };
      })()`);
      assert.ok(box.width > 100 && box.height > 100, `the track is drawn: ${JSON.stringify(box)}`);
      assert.ok(box.corners >= 3);
      const start = await markerTransform(page, ".pin-driver");
      await page.selectOption("#speed", "600");
      await page.click("#play");
      await eventually("the replay marker to move", async () =>
        (await markerTransform(page, ".pin-driver")) !== start);
      await page.click("#play"); // pause
      await page.evaluate(`(() => {
        const s = document.getElementById("scrub");
        s.value = String(Number(s.max) / 2);
        s.dispatchEvent(new Event("input"));
      })()`);
      const middle = new Date(t0 + (COUNT / 2) * 1000).toLocaleTimeString("en-GB");
      const at = (await page.textContent("#at")) ?? "";
      assert.ok(at.startsWith(middle.slice(0, 5)), `scrubbed to the middle: ${at} vs ${middle}`);
      await page.waitForTimeout(500); // the marker's CSS transition
      await screenshot(page, "replay");
    }),
});

Deno.test({
  name: "dev sign-in: with the dev secret a one-click customer sign-in opens the track page",
  fn: () =>
    withService(async ({ base, page: open }) => {
      const run = runId();
      const ops = { Authorization: `Bearer ${await devToken("ops", "ops-1")}` };
      const order = await createOrder(base, ops, run, `d-${run}`);
      const { page } = await open(`/track/${order.id}`);
      await page.waitForSelector("button.dev-role[data-role=customer]");
      await screenshot(page, "sign-in");
      await page.fill("#dev-sub", order.customerId);
      await page.click("button.dev-role[data-role=customer]");
      await page.waitForSelector("#status[data-status=assigned]");
      assert.doesNotMatch(page.url(), /token/, "the token is kept by the tab, not in the address");
    }, { JWT_SECRET: DEV_JWT_SECRET, TRACKING_DEV: "1" }),
});

/** A token signed with the dev secret. */
async function devToken(role: string, sub: string): Promise<string> {
  return await sign(
    { sub, role, exp: Math.floor(Date.now() / 1000) + 3600 },
    DEV_JWT_SECRET,
    "HS256",
  );
}
