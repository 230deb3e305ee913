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
 * outside the service and absent offline) and what `allow` matches (e.g. an expected 403).
 */
export async function openPage(
  browser: Browser,
  url: string,
  options: {
    viewport?: { width: number; height: number } | undefined;
    /** Console errors to accept, e.g. an expected 403. */
    allow?: RegExp | undefined;
    /** Runs in the page before its own scripts. */
    initScript?: string | undefined;
  } = {},
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
  await page.goto(url);
  return { page, errors };
}

/** Saves a screenshot under docs/screenshots/. */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = new URL("../docs/screenshots/", import.meta.url);
  await Deno.mkdir(dir, { recursive: true });
  await page.screenshot({ path: new URL(`${name}.png`, dir).pathname });
}
