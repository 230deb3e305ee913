import { type Browser, chromium, type Page } from "playwright-core";

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

/**
 * A page that records console errors and uncaught exceptions, except failed tile loads (tiles are
 * outside the service and absent offline) and the browser's own report of a refused socket
 * handshake, which the pages handle, and what `allow` matches (e.g. an expected 403).
 */
export async function openPage(
  browser: Browser,
  url: string,
  viewport = { width: 1280, height: 800 },
  allow?: RegExp,
): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    const text = message.text();
    const where = message.location().url ?? "";
    if (/tile/.test(where) || allow?.test(`${text} (${where})`)) return;
    errors.push(`${text} (${where})`);
  });
  page.on("pageerror", (error) => errors.push(`uncaught: ${error.message}`));
  await page.goto(url);
  return { page, errors };
}

/** Saves a screenshot under docs/screenshots/. */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = new URL("../docs/screenshots/", import.meta.url);
  await Deno.mkdir(dir, { recursive: true });
  await page.screenshot({ path: new URL(`${name}.png`, dir).pathname });
}
