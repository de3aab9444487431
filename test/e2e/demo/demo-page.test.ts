// The demo page in a real browser (headless Chromium, the Debian package): what a newcomer does
// after `npm run demo`. Skipped, saying why, where /usr/bin/chromium is missing; .ci/run installs it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  botMessage,
  CHROMIUM_HELP,
  chromiumAvailable,
  type DemoBrowser,
  control,
  openDemoPage,
  send,
} from "../../../demo/browser.js";
import { type Demo, startDemo } from "../../../demo/demo-app.js";
import { scanPng } from "../../kit/qr-decode.js";
import { redisUrl } from "../../kit/redis.js";

const available = chromiumAvailable();
if (!available) console.warn(`demo page test skipped: ${CHROMIUM_HELP}`);

describe.skipIf(!available)("the demo page in headless Chromium", () => {
  let demo: Demo;
  let browser: DemoBrowser;

  beforeAll(async () => {
    demo = await startDemo({ redisUrl: redisUrl(), port: 0, statePollMs: 0 });
    browser = await openDemoPage(demo.url);
  });

  afterAll(async () => {
    await browser?.close();
    await demo?.stop();
  });

  it("shows the live QR of /qr shop, decodable from a screenshot, and Cancel ends it", async () => {
    const { page } = browser;
    await send(page, "/qr shop");
    const live = botMessage(page, "Scan to link shop");
    await live.waitFor({ timeout: 15_000 });
    const photo = live.locator("img");

    // The QR as the screen shows it: a screenshot of the page, not the bytes the bot uploaded.
    let payload: string | null = null;
    for (let attempt = 0; attempt < 20 && payload === null; attempt++) {
      await photo.evaluate("(img) => img.decode()");
      payload = await scanPng(await photo.screenshot());
      if (payload === null) await page.waitForTimeout(250);
    }
    expect(payload).not.toBeNull();
    expect(demo.instance("shop").servedPayloads()).toContain(payload);

    await live.getByRole("button", { name: "Cancel" }).click();
    const cancelled = botMessage(page, "QR session for shop cancelled");
    await cancelled.waitFor({ timeout: 10_000 });
    expect(await cancelled.getByRole("button").allTextContents()).toEqual(["📷 New QR"]);
  });

  it("a scan in the demo controls turns the QR into ✅ authorized", async () => {
    const { page } = browser;
    await send(page, "/qr shop");
    await botMessage(page, /Scan to link shop/).waitFor({ timeout: 15_000 });
    await control(page, "shop", "scan");
    await botMessage(page, "✅ shop is authorized").waitFor({ timeout: 15_000 });
    expect(demo.instance("shop").state).toBe("authorized");
  });
});
