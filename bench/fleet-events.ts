// Two fleet events against one worker process (ROLE=worker), the fakes on the other side:
//  --webhooks: GREEN-API's webhook at RATE notifications/s for SECONDS (default 500/s for 60 s,
//    the issue's minute) over INSTANCES instances (1,000), each instance's notifications one after
//    another as GREEN-API sends them, from a sender process of its own (bench/webhook-sender.ts).
//    Prints non-200 answers, answer time p50/p99/max, the time until the watcher holds every
//    instance's last state, and each process's CPU and peak RSS.
//  --logout: INSTANCES instances (1,000) all logged out at once, checked every INTERVAL (30 s).
//    Prints the time until every one is in the digest of each alert chat (target: ≤ 2 check
//    intervals), Telegram messages (sends + edits) per alert chat in any 60 s, and Telegram 429s.
import type { ChildProcess } from "node:child_process";
import { cpus } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import type { Redis } from "ioredis";
import type { FakeGreenApi, StateInstance } from "../test/fakes/fake-green-api.js";
import type { FakeTelegram } from "../test/fakes/fake-telegram.js";
import { type FleetInstance, freePort, numberFlag, startFleet } from "./fleet-setup.js";
import type { SenderMessage, SenderParams, SenderResult } from "./webhook-sender.js";
import {
  buildBenchProcesses,
  forkBenchProcess,
  startWorker,
  stopWorker,
  workerStats,
} from "./worker-process.js";

const SECRET = "bench-webhook-secret-0123456789";
const GROUPS = [-100700, -100800];

/** A fleet on the fakes and one worker process watching it; `run` gets them, then all stops. */
async function withFleet(
  count: number,
  env: Record<string, string>,
  run: (fleet: {
    greenApi: FakeGreenApi;
    telegram: FakeTelegram;
    redis: Redis;
    prefix: string;
    instances: FleetInstance[];
    worker: ChildProcess;
  }) => Promise<string[]>,
): Promise<void> {
  buildBenchProcesses();
  const fleet = await startFleet(count);
  const worker = await startWorker({ ...fleet.env, ...env });
  try {
    const lines = await run({ ...fleet, worker });
    const machine = `one worker, ${cpus().length} × ${cpus()[0]?.model ?? "?"}, node ${process.version}`;
    process.stdout.write(`${[...lines, machine].join("\n")}\n`);
  } finally {
    await stopWorker(worker);
    await fleet.close();
  }
}

/** The watcher's last known state of each instance (its watch records in Redis). */
async function heldStates(redis: Redis, prefix: string, names: string[]): Promise<string[]> {
  const raw = await redis.hmget(`${prefix}:alerts:watch`, ...names);
  return raw.map((text) => {
    try {
      return (JSON.parse(text ?? "{}") as { state?: string }).state ?? "";
    } catch {
      return "";
    }
  });
}

export async function runWebhookBench(): Promise<void> {
  const count = numberFlag("instances", 1_000);
  const rate = numberFlag("rate", 500);
  const seconds = numberFlag("seconds", 60);
  const port = await freePort();
  // Polls an hour apart: what the watcher holds at the end is the webhooks' doing.
  const env = {
    STATE_POLL_INTERVAL_MS: "3600000",
    HTTP_PORT: String(port),
    WEBHOOK_SECRET: SECRET,
  };
  await withFleet(count, env, async ({ greenApi, redis, prefix, instances, worker }) => {
    const workerBefore = await workerStats(worker);
    const result = await sendWebhooks(greenApi, {
      url: `http://127.0.0.1:${port}/green-api/webhook`,
      secret: SECRET,
      idInstances: instances.map((i) => i.idInstance),
      rate,
      seconds,
    });
    const lastAnsweredAt = Date.now();
    const workerAfter = await workerStats(worker);
    const nameOf = new Map(instances.map((i) => [i.idInstance, i.name]));
    const last = new Map(
      Object.entries(result.last).map(([idInstance, state]) => [
        nameOf.get(idInstance) ?? "",
        state,
      ]),
    );
    const names = [...last.keys()];
    const deadline = Date.now() + 10 * 60_000;
    let reflectedAfter = Number.NaN;
    let behind = names.length;
    while (Date.now() < deadline) {
      const held = await heldStates(redis, prefix, names);
      behind = names.filter((name, i) => held[i] !== last.get(name)).length;
      if (behind === 0) {
        reflectedAfter = Date.now() - lastAnsweredAt;
        break;
      }
      await sleep(200);
    }
    const disagreeing = instances.filter(
      (i) => greenApi.instance(i.idInstance).state !== result.last[i.idInstance],
    ).length;
    const non200 = Object.entries(result.statuses).filter(([status]) => status !== "200");
    const ms = (value: number) => `${value.toFixed(1)} ms`;
    const mainRss = process.resourceUsage().maxRSS * 1024;
    return [
      `webhooks: ${result.sent} notifications at ${rate}/s for ${seconds} s (sent and answered in ${(result.sendingMs / 1000).toFixed(1)} s; ${result.waitedForPrevious} waited for their instance's previous answer) over ${instances.length} instances${seconds < 60 ? ` (the issue asks 60 s: --seconds=60)` : ""}`,
      `non-200 answers:       ${non200.reduce((sum, [, n]) => sum + n, 0)}${non200.length > 0 ? ` (${non200.map(([s, n]) => `${s === "0" ? "no answer" : s}: ${n}`).join(", ")}${result.firstError ? `; first: ${result.firstError}` : ""})` : ""}`,
      `answer time:           p50 ${ms(result.answerMs.p50)}, p99 ${ms(result.answerMs.p99)}, max ${ms(result.answerMs.max)}`,
      `state changes held:    ${
        behind === 0
          ? `every instance's last state, ${(reflectedAfter / 1000).toFixed(1)} s after the last answer`
          : `${behind} of ${names.length} instances still behind after 10 min`
      }; fake GREEN-API disagrees with the last notification for ${disagreeing}`,
      `worker:                CPU ${((workerAfter.cpuMs - workerBefore.cpuMs) / result.sendingMs).toFixed(2)} core while sending, peak RSS ${mb(workerAfter.maxRssBytes)}`,
      `sender process:        CPU ${(result.cpuMs / result.sendingMs).toFixed(2)} core, peak RSS ${mb(result.maxRssBytes)}; bench process (fakes, Redis reads): peak RSS ${mb(mainRss)}`,
    ];
  });
}

/**
 * Runs bench/webhook-sender.ts with these parameters; the fake GREEN-API's state follows each
 * notification as it is sent (its getStateInstance agrees with its latest notification).
 */
function sendWebhooks(greenApi: FakeGreenApi, params: SenderParams): Promise<SenderResult> {
  const sender = forkBenchProcess("webhook-sender");
  return new Promise((resolve, reject) => {
    sender.once("exit", (code) => reject(new Error(`webhook sender exited with ${code}`)));
    sender.on("message", (message: SenderMessage) => {
      if ("ready" in message) sender.send({ start: params });
      else if ("sent" in message) {
        for (const [idInstance, state] of message.sent)
          greenApi.instance(idInstance).state = state as StateInstance;
      } else {
        sender.removeAllListeners("exit");
        resolve(message.result);
      }
    });
  });
}

const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MB`;

export async function runLogoutBench(): Promise<void> {
  const count = numberFlag("instances", 1_000);
  const intervalMs = numberFlag("interval-ms", 30_000);
  const env = {
    STATE_POLL_INTERVAL_MS: String(intervalMs),
    ALERT_CHAT_IDS: GROUPS.join(","),
    GREEN_API_REQUESTS_PER_SECOND: "250",
  };
  await withFleet(count, env, async ({ greenApi, telegram, instances }) => {
    // One whole interval first: every instance checked once and known authorized.
    const checked = () =>
      new Set(
        greenApi.calls.filter((c) => c.method === "getStateInstance").map((c) => c.idInstance),
      ).size >= instances.length;
    const firstDeadline = Date.now() + 3 * intervalMs;
    while (!checked() && Date.now() < firstDeadline) await sleep(500);
    await sleep(intervalMs / 4);
    const sentBefore = telegram.calls.length;
    const loggedOutAt = Date.now();
    for (const instance of instances)
      greenApi.instance(instance.idInstance).state = "notAuthorized";

    const header = `🔴 ${instances.length} instances need attention`;
    const allIn = new Map<number, number>();
    const deadline = loggedOutAt + 5 * intervalMs;
    while (allIn.size < GROUPS.length && Date.now() < deadline) {
      for (const chatId of GROUPS) {
        if (allIn.has(chatId)) continue;
        const text = telegram.messagesIn(chatId).at(-1)?.text ?? "";
        if (text.split("\n")[0] === header) allIn.set(chatId, Date.now() - loggedOutAt);
      }
      await sleep(200);
    }
    // A minute more: the digest's later edits count against the per-minute limit too.
    await sleep(60_000);
    const calls = telegram.calls.slice(sentBefore);
    const perChat = GROUPS.map((chatId) => {
      const times = calls
        .filter(
          (c) =>
            (c.method === "sendMessage" || c.method === "editMessageText") &&
            Number(c.params.chat_id) === chatId &&
            c.ok,
        )
        .map((c) => c.at)
        .sort((a, b) => a - b);
      let most = 0;
      for (let i = 0, j = 0; i < times.length; i++) {
        while ((times[i] as number) - (times[j] as number) >= 60_000) j++;
        most = Math.max(most, i - j + 1);
      }
      const messages = telegram.messagesIn(chatId).length;
      return { chatId, most, total: times.length, messages };
    });
    const tooMany = telegram.calls.filter((c) => c.errorCode === 429).length;
    return [
      `mass logout: ${instances.length} instances at once, check interval ${intervalMs / 1000} s, ${GROUPS.length} alert chats`,
      ...GROUPS.map((chatId) => {
        const after = allIn.get(chatId);
        return `all in the digest (${chatId}): ${
          after === undefined
            ? `not within ${(5 * intervalMs) / 1000} s`
            : `${(after / 1000).toFixed(1)} s = ${(after / intervalMs).toFixed(2)} check intervals`
        }`;
      }),
      ...perChat.map(
        (c) =>
          `Telegram in ${c.chatId}:  ${c.messages} message(s); sends + edits: at most ${c.most} in any 60 s (${c.total} in all)`,
      ),
      `Telegram 429s:         ${tooMany}`,
    ];
  });
}
