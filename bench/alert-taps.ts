// From a logout alert to something the operator can act on: tap → QR on screen, and tap →
// pairing code on screen, against the fakes (fake Telegram, fake GREEN-API with its rate limits,
// a private Redis), through the whole app as it runs in production. Prints p50/p95/max.
//
//   npx tsx bench/alert-taps.ts [rounds]        (default 15 of each)
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { pino } from "pino";
import { createGreenlight } from "../src/app/index.js";
import { parseEnv } from "../src/config/env.js";
import { configFrom } from "../src/config/index.js";
import { FakeGreenApi } from "../test/fakes/fake-green-api.js";
import { FakeTelegram, type StoredMessage } from "../test/fakes/fake-telegram.js";
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
/** How long the operator takes to read the alert before tapping. */
const READ_MS = 2_000;
function buttonData(message: StoredMessage, label: string): string {
  const markup = message.replyMarkup as
    { inline_keyboard?: Array<Array<{ text: string; callback_data?: string }>> } | undefined;
  const data = markup?.inline_keyboard?.flat().find((b) => b.text.startsWith(label))?.callback_data;
  if (!data) throw new Error(`bench: no "${label}" button on the alert`);
  return data;
}

async function main(): Promise<void> {
  const rounds = Number(process.argv[2] ?? 15);
  const redis = await startPrivateOrGivenRedis("bench");
  const telegram = await FakeTelegram.start();
  telegram.userStartedBot(OPERATOR);
  const greenApi = await FakeGreenApi.start({ enforceRateLimits: true });
  greenApi.addInstance({ ...SHOP, state: "authorized", qrRotateMs: 20_000 });
  const shop = greenApi.instance(SHOP.idInstance);
  const dir = mkdtempSync(join(tmpdir(), "greenlight-bench-"));
  const file = join(dir, "instances.json");
  writeFileSync(file, JSON.stringify([{ ...SHOP, apiUrl: greenApi.apiUrl }]));
  const env = parseEnv({
    BOT_TOKEN: telegram.token,
    OPERATOR_IDS: String(OPERATOR),
    INSTANCES_FILE: file,
    REDIS_URL: redis.url,
    REDIS_PREFIX: "bench-taps",
    TELEGRAM_API_ROOT: telegram.apiRoot,
    ALLOW_INSECURE_HTTP: "1",
    STATE_POLL_INTERVAL_MS: "300",
    // Every round asks for a code; the cooldown protects real instances, not this measurement.
    PAIRING_CODE_COOLDOWN_MS: "0",
    LOG_LEVEL: "warn",
  });
  const config = configFrom(env);
  const app = createGreenlight(config, pino({ level: "warn" }));
  await app.start();
  const figures = { qr: [] as number[], code: [] as number[] };
  try {
    for (let round = 0; round < 2 * rounds; round++) {
      const kind = round % 2 === 0 ? "qr" : "code";
      shop.authorize("79001234567");
      // The number is remembered before the first logout (the watcher asks getWaSettings).
      await until("the remembered number", () =>
        greenApi.callsOf("getWaSettings", SHOP.idInstance).length > 0 ? true : undefined,
      );
      const alertsBefore = telegram
        .messagesIn(OPERATOR)
        .filter((m) => m.text?.startsWith("🔴")).length;
      shop.logout();
      shop.rotateQr();
      const alert = await until(
        "the alert",
        () => telegram.messagesIn(OPERATOR).filter((m) => m.text?.startsWith("🔴"))[alertsBefore],
      );
      // A person reads the alert before tapping: the chat's pace (about 1 message a second in a
      // private chat, Telegram's limit, kept by greenlight) has recovered from the alert by then.
      await sleep(READ_MS);
      const from = telegram.calls.length;
      const t0 = Date.now();
      telegram.userPresses({
        chatId: OPERATOR,
        fromId: OPERATOR,
        messageId: alert.messageId,
        data: buttonData(alert, kind === "qr" ? "📷 QR" : "🔑 Code to"),
      });
      const shown = await until(`the ${kind}`, async () => {
        for (const call of telegram.calls.slice(from)) {
          if (!call.ok || Number(call.params.chat_id) !== OPERATOR) continue;
          if (kind === "code" && String(call.params.text ?? "").includes("<code>")) return call.at;
          if (kind === "qr" && call.method === "editMessageMedia") {
            const photo = Object.values(call.files)[0];
            if (photo && (await scanPng(photo)) === shop.currentQrPayload()) return call.at;
          }
        }
        return undefined;
      });
      figures[kind].push(shown - t0);
      // Link it: the QR session or the code watcher ends, the alert closes; next round.
      shop.authorize("79001234567");
      await until("the closed alert", () =>
        telegram.message(OPERATOR, alert.messageId)?.text?.startsWith("✅") ? true : undefined,
      );
      await sleep(1_500); // the session's final edit and the watcher's next run
    }
  } finally {
    await app.stop();
    await telegram.close();
    await greenApi.close();
    await redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(
    `tap → on screen, ${rounds} taps of each, ${READ_MS / 1000} s after the alert; default pacing (about 1 message/s per private chat), GREEN-API's rate limits on, the watcher polling every 300 ms:`,
  );
  for (const kind of ["qr", "code"] as const) {
    const sorted = [...figures[kind]].sort((a, b) => a - b);
    const label = kind === "qr" ? "📷 QR → QR photo" : "🔑 Code to … → code message";
    console.log(
      `  ${label.padEnd(28)} p50 ${percentile(sorted, 50)} ms, p95 ${percentile(sorted, 95)} ms, max ${sorted.at(-1)} ms`,
    );
  }
}

await main();
