import assert from "node:assert/strict";
import { type Browser, chromium, type Page } from "playwright-core";
import { startService } from "../service.ts";
import { cleanupRun, runId, testConfig, token } from "./_support.ts";
import type { WsClient } from "./_ws_client.ts";
import { north } from "./_geo.ts";

/** Debian's Chromium; never a downloaded browser. */
export const CHROMIUM = Deno.env.get("CHROMIUM_PATH") ?? "/usr/bin/chromium";

/** Launches headless Chromium with the flags a machine without GPU or sandbox needs. */
export async function launchBrowser(): Promise<Browser> {
  return await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
    ],
  });
}

/** Options of {@linkcode openPage}. */
export interface OpenPageOptions {
  viewport?: { width: number; height: number } | undefined;
  /** Console errors to accept, e.g. an expected 403. */
  allow?: RegExp | undefined;
  /** Runs in the page before its own scripts. */
  initScript?: string | undefined;
  /** Called with the page before it navigates, e.g. to record its requests. */
  before?: ((page: Page) => void) | undefined;
}

/**
 * A page that records console errors and uncaught exceptions, except failed tile loads (tiles are
 * outside the service and absent offline) and what `allow` matches (e.g. an expected 403). A
 * Content-Security-Policy violation is a console error too, so it fails a test unless allowed.
 */
export async function openPage(
  browser: Browser,
  url: string,
  options: OpenPageOptions = {},
): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({
    viewport: options.viewport ?? { width: 1280, height: 800 },
  });
  if (options.initScript) await page.addInitScript(options.initScript);
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    const text = message.text();
    const where = message.location().url ?? "";
    if (/tile/.test(where) || options.allow?.test(`${text} (${where})`)) return;
    errors.push(`${text} (${where})`);
  });
  page.on("pageerror", (error) => errors.push(`uncaught: ${error.message}`));
  options.before?.(page);
  await page.goto(url);
  return { page, errors };
}

/**
 * Saves a screenshot under docs/screenshots/, only when `SCREENSHOTS=1`: the committed images
 * change only when someone means to refresh them.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (Deno.env.get("SCREENSHOTS") !== "1") return;
  const dir = new URL("../docs/screenshots/", import.meta.url);
  await Deno.mkdir(dir, { recursive: true });
  await page.screenshot({ path: new URL(`${name}.png`, dir).pathname });
}

/** Opens a path of the service under test in a new page of the test's browser. */
export type PageOpener = (
  path: string,
  options?: OpenPageOptions,
) => Promise<{ page: Page; errors: string[] }>;

/**
 * Runs `body` against one in-process service (real broker and PostgreSQL) and one browser; fails
 * when any page opened through `page` logged a console error.
 */
export async function withPagesService(
  body: (ctx: { base: string; ws: string; ops: HeadersInit; page: PageOpener }) => Promise<void>,
  env: Record<string, string> = {},
): Promise<void> {
  const run = runId();
  const service = await startService(testConfig(run, {
    MAX_SPEED_MPS: "100000",
    ALLOWED_ORIGINS: "*",
    MAP_TILES_URL: "none",
    FLEET_UPDATE_MS: "300",
    ...env,
  }));
  const browser = await launchBrowser();
  const base = `http://127.0.0.1:${service.port}`;
  const errors: string[][] = [];
  try {
    const ops = { Authorization: `Bearer ${await token("ops", "ops-1")}` };
    await body({
      base,
      ws: `ws://127.0.0.1:${service.port}`,
      ops,
      page: async (path, options) => {
        const opened = await openPage(browser, `${base}${path}`, options);
        errors.push(opened.errors);
        return opened;
      },
    });
    assert.deepEqual(errors.flat(), [], "no console errors on any page");
  } finally {
    await browser.close();
    await service.close();
    await cleanupRun(run);
  }
}

/**
 * Test instrumentation injected before the page's scripts: keeps every WebSocket the page opens
 * in `window.__sockets` and every frame it receives in `window.__frames`, so a test can drop the
 * connection and see what came after. The page's own code is unchanged.
 */
export const RECORD_SOCKETS = `(() => {
  const Native = window.WebSocket;
  window.__sockets = [];
  window.__frames = [];
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      window.__sockets.push(this);
      this.addEventListener("message", (e) => window.__frames.push(JSON.parse(e.data)));
    }
  };
})()`;

/** Creates an order of restaurant `r-<run>` for customer `c-<run>` and assigns `driverId`. */
export async function createOrder(
  base: string,
  ops: HeadersInit,
  run: string,
  driverId: string,
  pickup = { lat: 12.93, lon: 77.6 },
) {
  const body = {
    restaurantId: `r-${run}`,
    customerId: `c-${run}`,
    pickup,
    dropoff: north(pickup, 2000),
  };
  const created = await fetch(`${base}/orders`, {
    method: "POST",
    headers: { ...ops, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  assert.equal(created.status, 201);
  const order = await created.json();
  const assigned = await fetch(`${base}/orders/${encodeURIComponent(order.id)}/assign`, {
    method: "POST",
    headers: { ...ops, "content-type": "application/json" },
    body: JSON.stringify({ driverId }),
  });
  assert.equal(assigned.status, 200);
  await assigned.body?.cancel();
  return order as { id: string; customerId: string; pickup: typeof pickup; dropoff: typeof pickup };
}

/** A driver that sends strictly newer fixes along points, one every `ms`. */
export function driverFixes(driver: WsClient) {
  let last = 0;
  return async (points: { lat: number; lon: number }[], ms = 150) => {
    for (const p of points) {
      last = Math.max(last + 1, Date.now());
      driver.send({ type: "location", lat: p.lat, lon: p.lon, ts: last, speed: 8 });
      await new Promise((r) => setTimeout(r, ms));
    }
  };
}
