// The reference bot of issue #28, as anyone could write it in an afternoon: each session polls
// GREEN-API's qr every second, renders a new QR with jimp (bench/naive-render.ts) and edits its
// message. No limiter, no pacing, no retries. Forked by the bench like the worker, so that its CPU
// and memory are its own; answers "stats" and "stop" over IPC the same way. The caption carries
// the QR's sha1, only so the bench can tell which QR a photo shows without decoding it.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { Api, InputFile, InputMediaBuilder } from "grammy";
import { renderQrCardNaive } from "./naive-render.js";

export interface NaiveTarget {
  name: string;
  /** GREEN-API's qr URL of the instance (the fake's). */
  qrUrl: string;
  chatId: number;
  messageId: number;
}

const POLL_MS = 1_000;

const targets = JSON.parse(readFileSync(process.env.NAIVE_TARGETS ?? "", "utf8")) as NaiveTarget[];
const api = new Api(process.env.BOT_TOKEN ?? "", { apiRoot: process.env.TELEGRAM_API_ROOT });
let running = true;

async function session(target: NaiveTarget): Promise<void> {
  let last = "";
  while (running) {
    try {
      const response = await fetch(target.qrUrl, { signal: AbortSignal.timeout(5_000) });
      const answer = (await response.json()) as { type?: string; message?: string } | null;
      if (answer?.type === "qrCode" && answer.message && answer.message !== last) {
        last = answer.message;
        const png = await renderQrCardNaive({
          qrPng: Buffer.from(answer.message, "base64"),
          label: target.name,
        });
        const caption = createHash("sha1").update(answer.message).digest("hex");
        await api.editMessageMedia(
          target.chatId,
          target.messageId,
          InputMediaBuilder.photo(new InputFile(png, "qr.png"), { caption }),
        );
      }
    } catch {
      // A naive bot shrugs and polls again.
    }
    await sleep(POLL_MS);
  }
}

const sessions = targets.map((target) => session(target));

process.on("message", (message: unknown) => {
  if (message === "stats") {
    const cpu = process.cpuUsage();
    // (The bench may have gone already: a closed channel is no error worth dying of.)
    process.send?.(
      {
        stats: {
          cpuMs: (cpu.user + cpu.system) / 1000,
          maxRssBytes: process.resourceUsage().maxRSS * 1024,
          atPeak: process.memoryUsage(),
        },
      },
      undefined,
      undefined,
      () => undefined,
    );
  } else if (message === "stop") {
    running = false;
    void Promise.all(sessions).finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 5_000).unref();
  }
});
process.send?.({ ready: true });
