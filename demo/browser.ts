// Headless Chromium (the Debian package) driving the demo page, for the browser test and the
// README's screenshots. playwright-core brings no browser of its own: it drives /usr/bin/chromium.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium, type Locator, type Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";
export const CHROMIUM_HELP = `no ${CHROMIUM}: install it with apt-get install -y chromium`;

/** Quiet and offline: no updates, sync, QUIC or background fetches, a profile of its own. */
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM);
}

export interface DemoBrowser {
  page: Page;
  close(): Promise<void>;
}

/** A phone's screen (an iPhone 12 to 15's, in CSS pixels): the README's pictures have this size. */
export const PHONE_VIEWPORT = { width: 390, height: 844 };
/** A small laptop's window. */
export const LAPTOP_VIEWPORT = { width: 1280, height: 800 };

export async function openDemoPage(
  url: string,
  viewport: { width: number; height: number } = LAPTOP_VIEWPORT,
): Promise<DemoBrowser> {
  // A fresh profile every time (playwright passes it as --user-data-dir).
  const profile = mkdtempSync(join(tmpdir(), "greenlight-chromium-"));
  let context: BrowserContext | undefined;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      args: FLAGS,
      timeout: 30_000,
      viewport,
    });
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(url, { timeout: 15_000 });
    const opened = context;
    return {
      page,
      async close() {
        await opened.close();
        rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await context?.close();
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
}

/** Types a message into the chat and sends it, as a user would. */
export async function send(page: Page, text: string): Promise<void> {
  await page.fill("#text", text);
  await page.press("#text", "Enter");
}

/** The newest bot message whose text or caption contains `words`. */
export function botMessage(page: Page, words: string | RegExp): Locator {
  return page.locator(".msg:not(.mine)").filter({ hasText: words }).last();
}

/**
 * Presses a demo control (scan, logout, stale-login) of an instance. On a phone-sized page the
 * controls are behind a toggle: it opens them, presses, and closes them again.
 */
export async function control(page: Page, instance: string, action: string): Promise<void> {
  const button = page.locator(`.instance[data-name="${instance}"] button[data-action="${action}"]`);
  const toggle = page.locator("#controls-toggle");
  const behindToggle = !(await button.isVisible()) && (await toggle.isVisible());
  if (behindToggle) await toggle.click();
  await button.click();
  if (behindToggle) await page.click("#controls-close");
}
