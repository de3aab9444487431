// `npm run screenshots`: the README's pictures, taken from the demo page in headless Chromium.
// Each picture gets a fresh demo, so its chat shows just that story.
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { startPrivateOrGivenRedis } from "../test/kit/redis-server.js";
import {
  botMessage,
  CHROMIUM_HELP,
  chromiumAvailable,
  control,
  openDemoPage,
  send,
} from "./browser.js";
import { startDemo } from "./demo-app.js";

const OUT = fileURLToPath(new URL("../docs/img/", import.meta.url));
const WAIT_MS = 20_000;

const stories: Array<{ file: string; play: (page: Page) => Promise<void> }> = [
  {
    file: "qr.png",
    play: async (page) => {
      await send(page, "/qr shop");
      await botMessage(page, "Scan to link shop").waitFor({ timeout: WAIT_MS });
    },
  },
  {
    file: "log-out-needed.png",
    play: async (page) => {
      await send(page, "/qr depot");
      await botMessage(page, "old WhatsApp login").waitFor({ timeout: WAIT_MS });
    },
  },
  {
    file: "alert.png",
    play: async (page) => {
      await control(page, "support", "logout");
      await botMessage(page, "support: logged out since").waitFor({ timeout: WAIT_MS });
    },
  },
];

async function main(): Promise<void> {
  if (!chromiumAvailable()) throw new Error(CHROMIUM_HELP);
  mkdirSync(OUT, { recursive: true });
  const redis = await startPrivateOrGivenRedis("screenshots");
  try {
    for (const story of stories) {
      const demo = await startDemo({ redisUrl: redis.url, port: 0, statePollMs: 1_000 });
      const browser = await openDemoPage(demo.url).catch(async (error: unknown) => {
        await demo.stop();
        throw error;
      });
      try {
        const { page } = browser;
        await botMessage(page, "greenlight brings").waitFor({ timeout: WAIT_MS });
        // Just this story in the picture: the greeting and the start-up report go off screen.
        await page.evaluate('document.querySelectorAll(".msg").forEach((m) => m.remove())');
        await story.play(page);
        // Let images load and the chat scroll to its end before the picture.
        await page.waitForTimeout(1_000);
        await page.evaluate("chat.scrollTop = chat.scrollHeight"); // the page's own `chat`
        await page.locator(".phone").screenshot({ path: `${OUT}${story.file}` });
        process.stdout.write(`docs/img/${story.file}\n`);
      } finally {
        await browser.close();
        await demo.stop();
      }
    }
  } finally {
    await redis.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`screenshots: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
