// The link page's latency against the fakes (fake Telegram, fake GREEN-API with its rate limits,
// a private Redis), the whole app as in production with default pacing and polling: link opened →
// QR shown on the page, and a QR rotation → the page's update, next to the same rotation → the
// Telegram photo's edit (one source feeds both). Prints p50/p95/max.
//
//   npx tsx bench/link-page.ts [rounds]        (default 8 openings, 3 rotations each)
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { pino } from "pino";
import { createGreenlight } from "../src/app/index.js";
import { parseEnv } from "../src/config/env.js";
import { configFrom } from "../src/config/index.js";
import { FakeGreenApi } from "../test/fakes/fake-green-api.js";
import { FakeTelegram } from "../test/fakes/fake-telegram.js";
import { scanPng } from "../test/kit/qr-decode.js";
import { startPrivateOrGivenRedis } from "../test/kit/redis-server.js";
import { percentile } from "./stats.js";
import { until } from "./until.js";

const OPERATOR = 1001;
const SHOP = {
  name: "shop",
  idInstance: "1101000001",
  apiTokenInstance: "shoptoken0123456789abcdef0123456789abcdef0123456789",
};
const ROTATIONS = 3;
/** The page's event stream, each event with the time it arrived. */
async function openStream(url: string) {
  const abort = new AbortController();
  const response = await fetch(url, { signal: abort.signal });
  const events: Array<{ at: number; kind: string; png?: string }> = [];
  const decoder = new TextDecoder();
  let buffer = "";
  void (async () => {
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        const at = Date.now();
        buffer += decoder.decode(chunk, { stream: true });
        let end = buffer.indexOf("\n\n");
        while (end >= 0) {
          const data = buffer.slice(0, end).replace(/^data: /, "");
          buffer = buffer.slice(end + 2);
          if (!data.startsWith(":")) events.push({ at, ...JSON.parse(data) });
          end = buffer.indexOf("\n\n");
        }
      }
    } catch {
      // closed
    }
  })();
  return { events, close: () => abort.abort() };
}

async function pageShows(
  events: Array<{ at: number; kind: string; png?: string }>,
  payload: string,
) {
  for (const event of events) {
    if (event.kind !== "qr" || !event.png) continue;
    if ((await scanPng(Buffer.from(event.png, "base64"))) === payload) return event.at;
  }
  return undefined;
}

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 8);
  const redis = await startPrivateOrGivenRedis("bench");
  const telegram = await FakeTelegram.start();
  telegram.userStartedBot(OPERATOR);
  const greenApi = await FakeGreenApi.start({ enforceRateLimits: true });
  greenApi.addInstance({ ...SHOP, qrRotateMs: 3_600_000 });
  const shop = greenApi.instance(SHOP.idInstance);
  const dir = mkdtempSync(join(tmpdir(), "greenlight-bench-"));
  const file = join(dir, "instances.json");
  writeFileSync(file, JSON.stringify([{ ...SHOP, apiUrl: greenApi.apiUrl }]));
  const env = parseEnv({
    BOT_TOKEN: telegram.token,
    OPERATOR_IDS: String(OPERATOR),
    INSTANCES_FILE: file,
    REDIS_URL: redis.url,
    REDIS_PREFIX: "bench-link",
    TELEGRAM_API_ROOT: telegram.apiRoot,
    ALLOW_INSECURE_HTTP: "1",
    HTTP_PORT: "0",
    PUBLIC_URL: "https://link.example.org",
    STATE_POLL_INTERVAL_MS: "0",
    LINK_MAX_PER_INSTANCE: "20",
    LOG_LEVEL: "warn",
  });
  const app = createGreenlight(configFrom(env), pino({ level: "warn" }));
  await app.start();
  const base = `http://127.0.0.1:${app.httpPort()}`;
  const figures = { opened: [] as number[], page: [] as number[], telegram: [] as number[] };
  try {
    for (let round = 0; round < rounds; round++) {
      if (shop.state === "authorized") shop.logout();
      const before = telegram.messagesIn(OPERATOR).length;
      telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/link shop" });
      const path = await until("the link", () => {
        for (const message of telegram.messagesIn(OPERATOR).slice(before)) {
          const found = /https:\/\/link\.example\.org(\/l\/\S{22})/.exec(message.text ?? "");
          if (found) return found[1];
        }
        return undefined;
      });
      const opened = Date.now();
      await fetch(`${base}${path}`).then((r) => r.text());
      const stream = await openStream(`${base}${path}/events`);
      const first = await until("the first QR", () =>
        pageShows(stream.events, shop.currentQrPayload()),
      );
      figures.opened.push(first - opened);
      for (let rotation = 0; rotation < ROTATIONS; rotation++) {
        await sleep(1_500);
        const from = telegram.calls.length;
        const rotatedAt = Date.now();
        const payload = shop.rotateQr();
        figures.page.push(
          (await until("the page's update", () => pageShows(stream.events, payload))) - rotatedAt,
        );
        const edited = await until("the photo's edit", async () => {
          for (const call of telegram.calls.slice(from)) {
            if (call.method !== "editMessageMedia" || !call.ok) continue;
            const photo = Object.values(call.files)[0];
            if (photo && (await scanPng(photo)) === payload) return call.at;
          }
          return undefined;
        });
        figures.telegram.push(edited - rotatedAt);
      }
      shop.authorize("79001234567");
      await until("linked", () =>
        stream.events.some((e) => e.kind === "linked") ? true : undefined,
      );
      stream.close();
      await sleep(1_500); // the session's final edit
    }
  } finally {
    await app.stop();
    await telegram.close();
    await greenApi.close();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(
    `link page, ${rounds} openings × ${ROTATIONS} rotations; default polling (QR_POLL_INTERVAL_MS 1000) and pacing, GREEN-API's rate limits on:`,
  );
  const line = (label: string, values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    console.log(
      `  ${label.padEnd(34)} p50 ${percentile(sorted, 50)} ms, p95 ${percentile(sorted, 95)} ms, max ${sorted.at(-1)} ms`,
    );
  };
  line("link opened → QR on the page", figures.opened);
  line("rotation → page updated (SSE)", figures.page);
  line("rotation → Telegram photo edited", figures.telegram);
}

await main();
