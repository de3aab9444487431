// The link page in a real browser (headless Chromium, the Debian package), launched once, at a
// phone's 390×844 and a desktop's 1280×800. Skipped, saying why, where /usr/bin/chromium is missing.
import { mkdirSync } from "node:fs";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM, CHROMIUM_HELP, chromiumAvailable } from "../../../demo/browser.js";
import { type Harness, OPERATOR, SHOP, startHarness } from "../../kit/app-harness.js";
import { press, textMessages } from "../../kit/chat.js";
import { scanPng } from "../../kit/qr-decode.js";
import { eventually } from "../../kit/wait.js";

const available = chromiumAvailable();
if (!available) console.warn(`link page browser test skipped: ${CHROMIUM_HELP}`);

/** `LINK_PAGE_SCREENSHOTS=docs/img npx vitest run …` also saves the README's screenshots. */
const SCREENSHOTS = process.env.LINK_PAGE_SCREENSHOTS;

const VIEWPORTS = [
  { name: "phone", width: 390, height: 844, isMobile: true, locale: "ru-RU" },
  { name: "desktop", width: 1280, height: 800, isMobile: false, locale: "en-GB" },
] as const;

describe.skipIf(!available)("the link page in headless Chromium", () => {
  let h: Harness;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    h = await startHarness({
      qrRotateMs: 3_600_000,
      env: { HTTP_PORT: "0", PUBLIC_URL: "https://link.example.org", DEFAULT_PHONE_COUNTRY: "RU" },
    });
    base = `http://127.0.0.1:${h.app.httpPort()}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
      timeout: 30_000,
    });
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  async function newLink(instance: string) {
    const before = textMessages(h).length;
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: `/link ${instance}` });
    const message = await eventually(
      () =>
        textMessages(h)
          .slice(before)
          .find((m) => m.text?.startsWith("🔗 Link for")),
      "the link message",
    );
    const path = /https:\/\/link\.example\.org(\/l\/[A-Za-z0-9_-]{22})/.exec(
      message.text ?? "",
    )?.[1];
    if (!path) throw new Error("no link");
    return { path, message };
  }

  async function open(viewport: (typeof VIEWPORTS)[number], path: string) {
    const context = await browser.newContext({
      viewport: { width: viewport.width, height: viewport.height },
      isMobile: viewport.isMobile,
      locale: viewport.locale,
    });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("console", (m) => void (m.type() === "error" && problems.push(m.text())));
    page.on("pageerror", (e) => void problems.push(e.message));
    await page.goto(`${base}${path}`, { timeout: 15_000 });
    return { page, context, problems };
  }

  /** The QR as the screen shows it: a screenshot of the image, decoded with jsQR. */
  async function shownPayload(page: Page, expected: string) {
    return eventually(
      async () => {
        const image = page.locator("#qr-image");
        if (!(await image.isVisible())) return undefined;
        await image.evaluate("(img) => img.decode()");
        const payload = await scanPng(await image.screenshot());
        return payload === expected ? payload : undefined;
      },
      `the page showing ${expected}`,
      15_000,
    );
  }

  it.each(VIEWPORTS)(
    "at $width×$height: the live QR from a screenshot, its rotation, then ✅",
    async (viewport) => {
      const shop = h.greenApi.instance(SHOP.idInstance);
      if (shop.state === "authorized") shop.logout();
      const { path } = await newLink("shop");
      const { page, context, problems } = await open(viewport, path);
      await shownPayload(page, shop.currentQrPayload());
      const heading = await page.locator("h1").textContent();
      expect(heading).toBe(
        viewport.locale === "ru-RU" ? "Привяжите WhatsApp к «shop»" : "Link WhatsApp to “shop”",
      );
      expect(await page.locator("#countdown").textContent()).toMatch(/\d+/);
      if (SCREENSHOTS) {
        mkdirSync(SCREENSHOTS, { recursive: true });
        await page.screenshot({ path: `${SCREENSHOTS}/link-page-${viewport.name}.png` });
      }
      await shownPayload(page, shop.rotateQr());
      if (viewport.isMobile) {
        // On the phone itself, where the QR cannot be scanned: the number, then the code.
        await page.locator("#phone-toggle").click();
        expect(await page.locator("select[name=country]").inputValue()).toBe("RU");
        await page.locator("input[name=phone]").fill("8 900 123-45-67");
        await page.locator("#phone-form button[type=submit]").click();
        await page.locator("#code").waitFor({ state: "visible", timeout: 10_000 });
        expect(await page.locator("#code").textContent()).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
        if (SCREENSHOTS) await page.screenshot({ path: `${SCREENSHOTS}/link-page-code.png` });
      }

      shop.authorize("79001234567");
      await page.locator('body[data-state="linked"]').waitFor({ timeout: 15_000 });
      expect(await page.locator("#status").textContent()).toMatch(/^✅/);
      expect(await page.content()).not.toContain(SHOP.apiTokenInstance);
      expect(await page.content()).not.toContain(SHOP.idInstance);
      expect(problems).toEqual([]);
      await context.close();
    },
  );

  it("shows a revoked link, and an expired-or-unknown one, as the same dead page", async () => {
    const { path, message } = await newLink("support");
    const { page, context } = await open(VIEWPORTS[0], path);
    await page.locator("#qr-image").waitFor({ state: "visible", timeout: 15_000 });
    press(h, message, "⛔ Revoke");
    // The open page learns it within its recheck, drops the QR and says so.
    await page.locator('body[data-state="gone"]').waitFor({ timeout: 10_000 });
    expect(await page.locator("#qr-image").isVisible()).toBe(false);
    const reloaded = await page.goto(`${base}${path}`);
    expect(reloaded?.status()).toBe(404);
    expect(await page.locator("h1").textContent()).toBe("Эта ссылка больше не действует.");
    expect(await page.content()).not.toContain("support");
    await context.close();
  });
});
