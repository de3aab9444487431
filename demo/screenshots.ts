// `npm run screenshots`: the README's pictures, taken from the demo page in headless Chromium.
// Each picture gets a fresh demo, so its chat shows just that story; each is a phone's screen
// (390×844). `npm run screenshots -- --out DIR` writes them elsewhere than docs/img.
import { mkdirSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { Page } from "playwright-core";
import { startPrivateOrGivenRedis } from "../test/kit/redis-server.js";
import {
  botMessage,
  CHROMIUM_HELP,
  chromiumAvailable,
  control,
  openDemoPage,
  PHONE_VIEWPORT,
  send,
} from "./browser.js";
import { startDemo } from "./demo-app.js";

const DOCS_IMG = fileURLToPath(new URL("../docs/img/", import.meta.url));
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
  const { values } = parseArgs({ options: { out: { type: "string", default: DOCS_IMG } } });
  const out = values.out;
  if (!chromiumAvailable()) throw new Error(CHROMIUM_HELP);
  mkdirSync(out, { recursive: true });
  const redis = await startPrivateOrGivenRedis("screenshots");
  try {
    for (const story of stories) {
      const demo = await startDemo({ redisUrl: redis.url, port: 0, statePollMs: 1_000 });
      const browser = await openDemoPage(demo.url, PHONE_VIEWPORT).catch(async (error: unknown) => {
        await demo.stop();
        throw error;
      });
      try {
        const { page } = browser;
        await botMessage(page, "greenlight started and found").waitFor({ timeout: WAIT_MS });
        // Just this story in the picture: the greeting and the start-up report go off screen.
        await page.evaluate('document.querySelectorAll(".msg").forEach((m) => m.remove())');
        await story.play(page);
        // Let images load and the chat scroll to its end before the picture.
        await page.waitForTimeout(1_000);
        await page.evaluate("chat.scrollTop = chat.scrollHeight"); // the page's own `chat`
        const path = join(out, story.file);
        await page.screenshot({ path });
        const shown = relative(process.cwd(), path);
        process.stdout.write(`${shown.startsWith("..") ? path : shown}\n`);
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
