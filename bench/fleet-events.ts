// Two fleet events against one worker process (ROLE=worker), the fakes on the other side:
//  --webhooks: GREEN-API's webhook at RATE notifications/s for SECONDS (default 500/s for 20 s;
//    --seconds=60 for the issue's minute) over INSTANCES instances, each instance's notifications
//    one after another as GREEN-API sends them. Prints non-200 answers, answer time p50/p99/max,
//    and the time until the watcher holds every instance's last state.
//  --logout: INSTANCES instances (1,000) all logged out at once, checked every INTERVAL (30 s).
//    Prints the time until every one is in the digest of each alert chat (target: ≤ 2 check
//    intervals), Telegram messages (sends + edits) per alert chat in any 60 s, and Telegram 429s.
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "ioredis";
import { FakeGreenApi } from "../test/fakes/fake-green-api.js";
import { FakeTelegram } from "../test/fakes/fake-telegram.js";
import { startPrivateOrGivenRedis } from "../test/kit/redis-server.js";
import { startWorker, stopWorker } from "./fleet.js";
import { percentile } from "./stats.js";

const flag = (name: string, fallback: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
const SECRET = "bench-webhook-secret-0123456789";
const OPERATOR = 1001;
const GROUPS = [-100700, -100800];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** A fleet on the fakes and one worker process watching it; `run` gets them, then all stops. */
async function withFleet(
  count: number,
  env: Record<string, string>,
  run: (fleet: {
    greenApi: FakeGreenApi;
    telegram: FakeTelegram;
    redis: Redis;
    prefix: string;
    instances: Array<{ name: string; idInstance: string }>;
  }) => Promise<string[]>,
): Promise<void> {
  const tsc = new URL("../node_modules/typescript/bin/tsc", import.meta.url).pathname;
  const project = new URL("../tsconfig.bench.json", import.meta.url).pathname;
  const { execFileSync } = await import("node:child_process");
  execFileSync(process.execPath, [tsc, "-p", project], { stdio: "inherit" });
  const server = await startPrivateOrGivenRedis("bench");
  const telegram = await FakeTelegram.start({ enforceRateLimits: true });
  telegram.userStartedBot(OPERATOR);
  const greenApi = await FakeGreenApi.start({ enforceRateLimits: true });
  const instances = Array.from({ length: count }, (_, i) => {
    const idInstance = String(1_101_000_000 + i);
    const apiTokenInstance = createHash("sha256").update(idInstance).digest("hex").slice(0, 50);
    greenApi.addInstance({ idInstance, apiTokenInstance, state: "authorized" });
    return { name: `i${i}`, idInstance, apiTokenInstance, apiUrl: greenApi.apiUrl };
  });
  const dir = mkdtempSync(join(tmpdir(), "greenlight-fleet-"));
  const file = join(dir, "instances.json");
  writeFileSync(file, JSON.stringify(instances));
  const redis = new Redis(server.url);
  const prefix = `fleet-${Date.now()}`;
  const worker = await startWorker({
    BOT_TOKEN: telegram.token,
    OPERATOR_IDS: String(OPERATOR),
    INSTANCES_FILE: file,
    REDIS_URL: server.url,
    REDIS_PREFIX: prefix,
    TELEGRAM_API_ROOT: telegram.apiRoot,
    ALLOW_INSECURE_HTTP: "1",
    LOG_LEVEL: "warn",
    ROLE: "worker",
    ...env,
  });
  try {
    const lines = await run({ greenApi, telegram, redis, prefix, instances });
    const machine = `one worker, ${cpus().length} × ${cpus()[0]?.model ?? "?"}, node ${process.version}`;
    process.stdout.write(`${[...lines, machine].join("\n")}\n`);
  } finally {
    await stopWorker(worker);
    redis.disconnect();
    await greenApi.close();
    await telegram.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
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
  const count = flag("instances", 1_000);
  const rate = flag("rate", 500);
  const seconds = flag("seconds", 20);
  const port = await freePort();
  // Polls an hour apart: what the watcher holds at the end is the webhooks' doing.
  const env = {
    STATE_POLL_INTERVAL_MS: "3600000",
    HTTP_PORT: String(port),
    WEBHOOK_SECRET: SECRET,
  };
  await withFleet(count, env, async ({ greenApi, redis, prefix, instances }) => {
    const url = `http://127.0.0.1:${port}/green-api/webhook`;
    const answers: number[] = [];
    const statuses = new Map<number, number>();
    const last = new Map<string, string>();
    const sent = { count: 0 };
    let firstError: string | undefined;
    const post = async (instance: { name: string; idInstance: string }, state: string) => {
      const started = performance.now();
      let status: number;
      try {
        const response = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${SECRET}` },
          body: JSON.stringify({
            typeWebhook: "stateInstanceChanged",
            instanceData: { idInstance: Number(instance.idInstance), typeInstance: "whatsapp" },
            timestamp: Math.floor(Date.now() / 1000),
            stateInstance: state,
          }),
          signal: AbortSignal.timeout(5_000),
        });
        await response.arrayBuffer();
        status = response.status;
      } catch (error) {
        status = 0;
        firstError ??=
          error instanceof Error ? `${error.message} ${String(error.cause ?? "")}` : String(error);
      }
      answers.push(performance.now() - started);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    };
    // Ticks of 20 ms, rate/50 notifications each, the instances in turn: with 1,000 instances at
    // 500/s an instance gets one every 2 s, after its previous one was answered (GREEN-API's order).
    const perTick = Math.max(1, Math.round(rate / 50));
    const inFlight: Array<Promise<void>> = [];
    const started = Date.now();
    let cursor = 0;
    for (let tick = 0; tick < seconds * 50; tick++) {
      const due = started + tick * 20;
      if (due > Date.now()) await sleep(due - Date.now());
      for (let k = 0; k < perTick; k++) {
        const instance = instances[cursor % instances.length] as (typeof instances)[number];
        const round = Math.floor(cursor / instances.length);
        const state = round % 2 === 0 ? "notAuthorized" : "authorized";
        cursor += 1;
        last.set(instance.name, state);
        // GREEN-API's own answer agrees with its latest notification.
        greenApi.instance(instance.idInstance).state = state as never;
        sent.count += 1;
        inFlight.push(post(instance, state));
      }
    }
    const sendingMs = Date.now() - started;
    await Promise.all(inFlight);
    const lastAnsweredAt = Date.now();
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
    answers.sort((a, b) => a - b);
    const non200 = [...statuses].filter(([status]) => status !== 200);
    return [
      `webhooks: ${sent.count} notifications at ${rate}/s for ${seconds} s (sent in ${(sendingMs / 1000).toFixed(1)} s) over ${instances.length} instances${seconds < 60 ? ` (the issue asks 60 s: --seconds=60)` : ""}`,
      `non-200 answers:       ${non200.reduce((sum, [, n]) => sum + n, 0)}${non200.length > 0 ? ` (${non200.map(([s, n]) => `${s || "no answer"}: ${n}`).join(", ")}${firstError ? `; first: ${firstError}` : ""})` : ""}`,
      `answer time:           p50 ${percentile(answers, 50).toFixed(1)} ms, p99 ${percentile(answers, 99).toFixed(1)} ms, max ${(answers.at(-1) ?? 0).toFixed(1)} ms`,
      `state changes held:    ${
        behind === 0
          ? `every instance's last state, ${(reflectedAfter / 1000).toFixed(1)} s after the last answer`
          : `${behind} of ${names.length} instances still behind after 10 min`
      }`,
    ];
  });
}

export async function runLogoutBench(): Promise<void> {
  const count = flag("instances", 1_000);
  const intervalMs = flag("interval-ms", 30_000);
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
