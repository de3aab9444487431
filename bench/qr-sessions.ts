// npm run bench [-- --quick] [-- --only=phase-100,naive-100] [-- --set=freshness] [-- --takeover]
//   [-- --settle=90 --window=60] (seconds: the pause after every first QR, the measured window)
// npm run bench -- --fleet [--workers=2 | --webhooks | --logout] [--instances=N …] (see below)
// npm run bench -- --metrics [--instances=N]: one /metrics scrape's cost (bench/metrics-scrape.ts)
// npm run bench -- --relay [--duration=60 --down=120 --rate=500 --instances=1000] (bench/relay.ts)
// npm run bench -- --history: 10,000 instances with 90 days of incidents (bench/history.ts)
//
// N concurrent QR sessions on one worker process against the fake GREEN-API (QR rotating every R
// seconds on its own clock, phases spread) and the fake Telegram, on a private Redis. Prints the
// figures of issue #6 per scenario. A benchmark, not a test: nothing here is asserted.
import type { ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Api, InputFile } from "grammy";
import { Redis } from "ioredis";
import { pino } from "pino";
import QRCode from "qrcode";
import {
  applySessionCapacity,
  createQrQueue,
  sessionCapacity,
} from "../src/qr-session/qr-queue.js";
import { SessionStarter } from "../src/qr-session/session-starter.js";
import { SessionStore } from "../src/qr-session/session-store.js";
import { renderQrCard } from "../src/render/index.js";
import { SessionScreen } from "../src/telegram/session-screen.js";
import { FakeGreenApi } from "../test/fakes/fake-green-api.js";
import { FakeTelegram } from "../test/fakes/fake-telegram.js";
import { startPrivateOrGivenRedis } from "../test/kit/redis-server.js";
import { measureRenders, type RenderFigures } from "./render.js";
import { percentile, redisCommandCalls } from "./stats.js";
import type { NaiveTarget } from "./naive-bot.js";
import { buildBenchProcesses, startWorker, stopWorker, workerStats } from "./worker-process.js";

interface Scenario {
  name: string;
  sessions: number;
  source: "poll" | "websocket" | "auto";
  /** QR_POLL_SCHEDULE; `naive`: not greenlight but the reference bot (bench/naive-bot.ts). */
  schedule: "steady" | "phase-locked" | "naive";
  /** The fake Telegram enforces ~30/s per bot, 1/s per chat, 20/min per group. */
  rateLimited: boolean;
}

interface Timing {
  rotateMs: number;
  /** After every session showed its first QR: let phases settle before measuring. */
  settleMs: number;
  measureMs: number;
}

interface Figures {
  scenario: Scenario;
  rotations: number;
  latencies: number[];
  /** Share of the window's session-time with a QR on screen that GREEN-API no longer serves. */
  staleShare: number;
  qrCallsPerRotation: number;
  greenApi429s: number;
  missed: number;
  telegramCallsPerRotation: number;
  greenApiPerSessionMinute: number;
  ticks: number;
  cpuCores: number;
  cpuMsPerTick: number;
  maxRssMb: number;
  redisPerTick: number;
  queued: number;
  /** Sessions (not waiting in line) that asked GREEN-API nothing in the window: they ended. */
  silent: number;
}

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const only = args.find((arg) => arg.startsWith("--only="))?.slice("--only=".length);
/** Only the takeover after kill -9 and the lease's cost (a few minutes). */
const takeoverOnly = args.includes("--takeover");
const seconds = (flag: string) => {
  const value = args.find((arg) => arg.startsWith(`--${flag}=`))?.slice(flag.length + 3);
  return value === undefined ? undefined : Number(value) * 1000;
};
const timing: Timing = quick
  ? { rotateMs: 6_000, settleMs: 3_000, measureMs: 20_000 }
  : { rotateMs: 20_000, settleMs: 5_000, measureMs: 60_000 };
/**
 * Phase-locked polling learns from three rotations, then narrows its window rotation by rotation:
 * every scenario of the comparison settles this long (4.5 rotations) before its window, so that
 * all are measured in their steady state. `--settle=` overrides both.
 */
const LEARN_SETTLE_MS = quick ? 3_000 : 90_000;
const settleOf = (scenario: Scenario) =>
  seconds("settle") ??
  (scenario.schedule === "phase-locked" || scenario.source === "auto"
    ? LEARN_SETTLE_MS
    : timing.settleMs);
timing.measureMs = seconds("window") ?? timing.measureMs;
const POLL_MS = 1_000;
/** QR_EDITS_PER_SECOND's default: the bot-wide edit budget the worker runs with. */
const EDITS_PER_SECOND = 28;

/** Issue #28's comparison: the reference bot, steady and phase-locked polling, auto; 20/100/500. */
const FRESHNESS: Scenario[] = [20, 100, 500].flatMap((sessions) => [
  { name: `naive-${sessions}`, sessions, source: "poll", schedule: "naive", rateLimited: false },
  { name: `steady-${sessions}`, sessions, source: "poll", schedule: "steady", rateLimited: false },
  {
    name: `phase-${sessions}`,
    sessions,
    source: "poll",
    schedule: "phase-locked",
    rateLimited: false,
  },
  {
    name: `auto-${sessions}`,
    sessions,
    source: "auto",
    schedule: "phase-locked",
    rateLimited: false,
  },
]);

const SCENARIOS: Scenario[] = [
  ...FRESHNESS,
  {
    name: "ws-100",
    sessions: 100,
    source: "websocket",
    schedule: "phase-locked",
    rateLimited: false,
  },
  {
    name: "ws-500",
    sessions: 500,
    source: "websocket",
    schedule: "phase-locked",
    rateLimited: false,
  },
  {
    name: "poll-700-limited",
    sessions: 700,
    source: "poll",
    schedule: "phase-locked",
    rateLimited: true,
  },
];
/** `--set=freshness`: issue #28's comparison only. */
const set = args.find((arg) => arg.startsWith("--set="))?.slice("--set=".length);

const silent = pino({ level: "silent" });

async function main(): Promise<void> {
  buildBenchProcesses();
  const redis = await startPrivateOrGivenRedis("bench");
  try {
    const render = await measureRenders();
    printRender(render);
    const results: Figures[] = [];
    const scenarios = takeoverOnly
      ? []
      : (set === "freshness" ? FRESHNESS : SCENARIOS).filter(
          (s) => !only || only.split(",").includes(s.name),
        );
    for (const scenario of scenarios) {
      const figures = await runScenario(scenario, redis.url);
      results.push(figures);
      printRow(figures, results.length === 1);
    }
    // Printed by the whole bench and by --takeover; --only picks scenarios without it.
    if (takeoverOnly || (!only && !set)) {
      printTakeover([
        await runTakeover("restart", redis.url),
        await runTakeover("second worker", redis.url),
      ]);
      printLeaseCost([await runLeaseCost(6_000, redis.url), await runLeaseCost(30_000, redis.url)]);
    }
    printMachine();
  } finally {
    await redis.stop();
  }
}

interface Prepared {
  telegram: FakeTelegram;
  greenApi: FakeGreenApi;
  instances: Array<{ name: string; idInstance: string; apiTokenInstance: string; apiUrl: string }>;
  messages: Array<{ chatId: number; name: string; queued: boolean }>;
  env: Record<string, string>;
  worker: ChildProcess;
  redis: Redis;
  close(): Promise<void>;
}

/**
 * The fakes, N instances, a worker process, and N sessions started as operators would start them,
 * each showing its first QR. `rotateMs` undefined: the QRs rotate only when the bench says so.
 */
async function prepare(
  scenario: Scenario,
  redisUrl: string,
  rotateMs: number | undefined,
  extraEnv: Record<string, string> = {},
): Promise<Prepared> {
  const telegram = await FakeTelegram.start({
    enforceRateLimits: scenario.rateLimited,
  });
  telegram.userStartedBot(1001); // the operator (alerts go to their private chat)
  // GREEN-API's per-instance limits enforced (qr 3/s): its 429s are counted, not hidden.
  const greenApi = await FakeGreenApi.start({ enforceRateLimits: true });
  const prefix = `bench-${scenario.name}-${Date.now()}`;
  const names = Array.from({ length: scenario.sessions }, (_, i) => `i${i}`);
  const instances = names.map((name, i) => {
    const idInstance = String(1_101_000_000 + i);
    const apiTokenInstance = createHash("sha256").update(name).digest("hex").slice(0, 50);
    greenApi.addInstance({
      idInstance,
      apiTokenInstance,
      qrRotateMs: rotateMs ?? 3_600_000,
      qrPhaseMs: rotateMs === undefined ? 0 : Math.floor(Math.random() * rotateMs),
      rotateOnTimer: rotateMs !== undefined,
    });
    return { name, idInstance, apiTokenInstance, apiUrl: greenApi.apiUrl };
  });
  const dir = mkdtempSync(join(tmpdir(), "greenlight-bench-"));
  const instancesFile = join(dir, "instances.json");
  writeFileSync(instancesFile, JSON.stringify(instances));
  const env: Record<string, string> = {
    BOT_TOKEN: telegram.token,
    // Each session runs in its own operator's private chat (a QR is shown only to its starter, or in
    // a trusted chat: the worker checks that again when it takes a session up).
    OPERATOR_IDS: ["1001", ...names.map((_, i) => String(10_000 + i))].join(","),
    INSTANCES_FILE: instancesFile,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    TELEGRAM_API_ROOT: telegram.apiRoot,
    // The fakes speak plain http on loopback.
    ALLOW_INSECURE_HTTP: "1",
    QR_POLL_INTERVAL_MS: String(POLL_MS),
    QR_TIMEOUT_MS: String(3_600_000),
    QR_SOURCE: scenario.source,
    QR_POLL_SCHEDULE: scenario.schedule === "steady" ? "steady" : "phase-locked",
    WORKER_CONCURRENCY: "1000",
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? "warn",
    ROLE: "worker",
    ...extraEnv,
  };
  if (scenario.schedule === "naive") {
    return prepareNaive(scenario, telegram, greenApi, instances, env, redisUrl);
  }
  const worker = await startWorker(env);
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queueConnection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = createQrQueue(queueConnection, prefix);
  // The bot's side of a session (claim, queue), with SESSION_LOCK_MS's derived defaults.
  const store = new SessionStore(redis, {
    prefix,
    leaseMs: 6_000,
    staleMs: 27_000,
  });
  const screen = new SessionScreen(
    new Api(telegram.token, { apiRoot: telegram.apiRoot }),
    3_600_000,
  );
  // What the bot process does at start: at most this many sessions live, the rest wait in line.
  const capacity = sessionCapacity(EDITS_PER_SECOND);
  await applySessionCapacity(queue, capacity);
  const starter = new SessionStarter({
    store,
    queue,
    screen,
    timeoutMs: 3_600_000,
    capacity,
    chatHoldMs: 18_000,
    logger: silent,
  });

  // Sessions start as operators would ask for them: one chat each, at most 25 a second when
  // Telegram's limits are on.
  const messages: Array<{ chatId: number; name: string; queued: boolean }> = [];
  const start = async (name: string, chatId: number) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await starter.startInNewMessage({
          instance: name,
          userId: chatId,
          locale: "en",
          chatId,
        });
      } catch (error) {
        if (attempt >= 5) throw error;
        await sleep(1_000);
      }
    }
  };
  for (const [i, name] of names.entries()) {
    const chatId = 10_000 + i;
    telegram.userStartedBot(chatId); // each session's operator opened a private chat long ago
    const queued = (await start(name, chatId)).started === "queued";
    messages.push({ chatId, name, queued });
    if (scenario.rateLimited) await sleep(40);
  }
  const firstQrDeadline = Date.now() + 120_000;
  while (Date.now() < firstQrDeadline) {
    const waiting = messages.filter(
      (m) => !m.queued && (telegram.messagesIn(m.chatId)[0]?.editCount ?? 0) < 1,
    );
    if (waiting.length === 0) break;
    await sleep(250);
  }
  return {
    telegram,
    greenApi,
    instances,
    messages,
    env,
    worker,
    redis,
    async close() {
      await queue.close();
      queueConnection.disconnect();
      redis.disconnect();
      await telegram.close();
      await greenApi.close();
    },
  };
}

/**
 * The reference bot's side of a scenario: one photo message per session, sent as greenlight's
 * waiting card would be, then the naive bot (its own process) polling and editing them.
 */
async function prepareNaive(
  scenario: Scenario,
  telegram: FakeTelegram,
  greenApi: FakeGreenApi,
  instances: Prepared["instances"],
  env: Record<string, string>,
  redisUrl: string,
): Promise<Prepared> {
  const api = new Api(telegram.token, { apiRoot: telegram.apiRoot });
  const placeholder = await renderQrCard({ qrPng: await qrPng("waiting"), label: "waiting" });
  const messages: Prepared["messages"] = [];
  const targets: NaiveTarget[] = [];
  for (const [i, instance] of instances.entries()) {
    const chatId = 10_000 + i;
    telegram.userStartedBot(chatId);
    const sent = await api.sendPhoto(chatId, new InputFile(placeholder, "qr.png"));
    messages.push({ chatId, name: instance.name, queued: false });
    targets.push({
      name: instance.name,
      qrUrl: `${instance.apiUrl}/waInstance${instance.idInstance}/qr/${instance.apiTokenInstance}`,
      chatId,
      messageId: sent.message_id,
    });
  }
  const file = join(mkdtempSync(join(tmpdir(), "greenlight-naive-")), "targets.json");
  writeFileSync(file, JSON.stringify(targets));
  const worker = await startWorker({ ...env, NAIVE_TARGETS: file }, "naive-bot");
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const firstQrDeadline = Date.now() + 120_000;
  while (Date.now() < firstQrDeadline) {
    if (messages.every((m) => (telegram.messagesIn(m.chatId)[0]?.editCount ?? 0) >= 1)) break;
    await sleep(250);
  }
  return {
    telegram,
    greenApi,
    instances,
    messages,
    env,
    worker,
    redis,
    async close() {
      redis.disconnect();
      await telegram.close();
      await greenApi.close();
    },
  };
}

async function runScenario(scenario: Scenario, redisUrl: string): Promise<Figures> {
  const prepared = await prepare(scenario, redisUrl, timing.rotateMs);
  const { telegram, greenApi, instances, messages, worker, redis } = prepared;
  await sleep(settleOf(scenario));

  const redisBefore = await redisCommandCalls(redis);
  const cpuBefore = await workerStats(worker);
  const windowStart = Date.now();
  await sleep(timing.measureMs);
  const windowEnd = Date.now();
  const cpuAfter = await workerStats(worker);
  const redisAfter = await redisCommandCalls(redis);
  await sleep(3_000); // edits of the window's last rotations land
  await stopWorker(worker);

  const inWindow = (at: number) => at >= windowStart && at < windowEnd;
  const latencies: number[] = [];
  let rotations = 0;
  let missed = 0;
  let staleMs = 0;
  const naive = scenario.schedule === "naive";
  // A session told it waits in line is not expected to show its QRs yet: its rotations are not
  // counted (the "queued" column says how many there are). Every other one must show each QR.
  const queued = messages.filter((m) => m.queued).length;
  for (const [i, { chatId, name }] of messages.entries()) {
    if (messages[i]?.queued) continue;
    const message = telegram.messagesIn(chatId)[0];
    // Which QR each photo shows: greenlight's by its rendered bytes, the naive bot's by the QR's
    // sha1 in its caption.
    const shown = new Map<string, number>();
    for (const version of message?.history ?? []) {
      if (!version.photo) continue;
      const key = naive ? (version.caption ?? "") : sha1(version.photo);
      if (!shown.has(key)) shown.set(key, version.at);
    }
    const keyOf = async (payload: string) =>
      naive
        ? sha1(Buffer.from((await qrPng(payload)).toString("base64")))
        : sha1(await renderQrCard({ qrPng: await qrPng(payload), label: name }));
    const instance = greenApi.instance(instances[i]?.idInstance ?? "");
    const history = instance.rotationHistory();
    for (const [k, rotation] of history.entries()) {
      if (!inWindow(rotation.at)) continue;
      rotations += 1;
      const at = shown.get(await keyOf(rotation.payload));
      if (at === undefined) missed += 1;
      else latencies.push(at - rotation.at);
      // Stale from the rotation until its QR is on screen (or the next rotation, or the window's end).
      const until = Math.min(at ?? Infinity, history[k + 1]?.at ?? Infinity, windowEnd);
      staleMs += Math.max(0, until - rotation.at);
    }
  }
  const edits = telegram.callsOf("editMessageMedia").filter((c) => inWindow(c.at));
  const okEdits = edits.filter((c) => c.ok).length;
  const greenApiCalls = greenApi.calls.filter((c) => inWindow(c.at)).length;
  const qrCalls = greenApi.calls.filter((c) => inWindow(c.at) && c.method === "qr").length;
  const greenApi429s = greenApi.calls.filter((c) => inWindow(c.at) && c.status === 429).length;
  const live = scenario.sessions - queued;
  const askedInWindow = new Set(
    greenApi.calls.filter((c) => inWindow(c.at)).map((c) => String(c.idInstance)),
  );
  const silent = messages.filter(
    (m, i) => !m.queued && !askedInWindow.has(instances[i]?.idInstance ?? ""),
  ).length;
  const redisCalls = redisAfter.total - redisBefore.total;
  // Each tick runs one heartbeat script; each shown QR one more (the record update).
  // (The naive bot runs no scripts: no ticks to count.)
  const ticks = naive ? 0 : redisAfter.eval - redisBefore.eval - okEdits;
  const minutes = (windowEnd - windowStart) / 60_000;
  const cpuMs = cpuAfter.cpuMs - cpuBefore.cpuMs;

  await prepared.close();
  return {
    scenario,
    rotations,
    latencies: latencies.sort((a, b) => a - b),
    staleShare: staleMs / Math.max(1, live * (windowEnd - windowStart)),
    qrCallsPerRotation: qrCalls / Math.max(1, rotations),
    greenApi429s,
    missed,
    telegramCallsPerRotation: edits.length / Math.max(1, rotations),
    greenApiPerSessionMinute: greenApiCalls / scenario.sessions / minutes,
    ticks,
    cpuCores: cpuMs / (windowEnd - windowStart),
    cpuMsPerTick: cpuMs / Math.max(1, ticks),
    maxRssMb: cpuAfter.maxRssBytes / 2 ** 20,
    redisPerTick: redisCalls / Math.max(1, ticks),
    queued,
    silent,
  };
}

// ---- takeover after kill -9, and what the short lease costs ----------------------------------

interface Takeover {
  how: string;
  sessions: number;
  /** From the kill to each session's next QR on its own message (ms), ascending. */
  times: number[];
  /** Sessions whose next QR was not on screen within TAKEOVER_WAIT_MS. */
  notShown: number;
}

const TAKEOVER_SESSIONS = 100;
const TAKEOVER_WAIT_MS = 60_000;

/**
 * N live sessions in one worker, default lease and locks; kill -9 of that worker, every QR
 * rotated at that moment; then either the same worker started again at once ("restart") or a
 * second worker already running ("second worker"). Each session's time from the kill to its new
 * QR on its message.
 */
async function runTakeover(how: "restart" | "second worker", redisUrl: string): Promise<Takeover> {
  const scenario: Scenario = {
    name: how === "restart" ? "to-restart" : "to-second",
    sessions: TAKEOVER_SESSIONS,
    source: "poll",
    schedule: "phase-locked",
    rateLimited: false,
  };
  const prepared = await prepare(scenario, redisUrl, undefined);
  const { telegram, greenApi, instances, messages, env } = prepared;
  await sleep(3_000);
  const second = how === "second worker" ? await startWorker(env) : undefined;

  prepared.worker.removeAllListeners("exit");
  const killedAt = Date.now();
  prepared.worker.kill("SIGKILL");
  const cards = await Promise.all(
    instances.map(async (instance) => {
      const payload = greenApi.instance(instance.idInstance).rotateQr();
      return sha1(await renderQrCard({ qrPng: await qrPng(payload), label: instance.name }));
    }),
  );
  const successor = second ?? (await startWorker(env));

  const shownAt = (i: number): number | undefined => {
    const message = telegram.messagesIn(messages[i]?.chatId ?? 0)[0];
    const version = message?.history.find(
      (v) => v.at >= killedAt && v.photo && sha1(v.photo) === cards[i],
    );
    return version?.at;
  };
  const deadline = killedAt + TAKEOVER_WAIT_MS;
  while (Date.now() < deadline && messages.some((_, i) => shownAt(i) === undefined)) {
    await sleep(250);
  }
  const times = messages
    .map((_, i) => shownAt(i))
    .filter((at): at is number => at !== undefined)
    .map((at) => at - killedAt)
    .sort((a, b) => a - b);
  await stopWorker(successor);
  await prepared.close();
  return { how, sessions: messages.length, times, notShown: messages.length - times.length };
}

interface LeaseCost {
  leaseMs: number;
  sessions: number;
  redisCommandsPerSecond: number;
  /** redis-server's CPU (user + system) over wall time, in cores. */
  redisCpuCores: number;
  workerCpuCores: number;
}

/** Redis' own CPU time so far (INFO cpu), in ms. */
async function redisCpuMs(redis: Redis): Promise<number> {
  const info = await redis.info("cpu");
  const field = (name: string) =>
    Number(new RegExp(`^${name}:([\\d.]+)`, "m").exec(info)?.[1] ?? 0);
  return (field("used_cpu_user") + field("used_cpu_sys")) * 1000;
}

/**
 * 500 live sessions for a window with this lease (SESSION_LOCK_MS; BullMQ's lock and stalled
 * check follow it): Redis commands a second and CPU, Redis' and the worker's. The lease is renewed
 * by each tick's heartbeat whatever its length; a shorter one renews BullMQ's locks more often and
 * looks for stalled jobs more often.
 */
async function runLeaseCost(leaseMs: number, redisUrl: string): Promise<LeaseCost> {
  const scenario: Scenario = {
    name: `lease-${leaseMs}`,
    sessions: 500,
    source: "poll",
    schedule: "phase-locked",
    rateLimited: false,
  };
  const prepared = await prepare(scenario, redisUrl, timing.rotateMs, {
    SESSION_LOCK_MS: String(leaseMs),
  });
  const { redis, worker } = prepared;
  await sleep(timing.settleMs);
  const windowMs = Math.min(30_000, timing.measureMs);
  const before = {
    commands: await redisCommandCalls(redis),
    redisCpu: await redisCpuMs(redis),
    worker: await workerStats(worker),
    at: Date.now(),
  };
  await sleep(windowMs);
  const after = {
    commands: await redisCommandCalls(redis),
    redisCpu: await redisCpuMs(redis),
    worker: await workerStats(worker),
    at: Date.now(),
  };
  await stopWorker(worker);
  await prepared.close();
  const wall = after.at - before.at;
  return {
    leaseMs,
    sessions: scenario.sessions,
    redisCommandsPerSecond: ((after.commands.total - before.commands.total) * 1000) / wall,
    redisCpuCores: (after.redisCpu - before.redisCpu) / wall,
    workerCpuCores: (after.worker.cpuMs - before.worker.cpuMs) / wall,
  };
}

function printTakeover(results: Takeover[]): void {
  console.log(
    `\nTakeover after kill -9 of the worker, ${TAKEOVER_SESSIONS} live sessions, default SESSION_LOCK_MS (6 s), poll ${POLL_MS} ms: from the kill to each session's next QR on its message`,
  );
  console.log("| after the kill | sessions | p50 s | p95 s | max s | not shown in 60 s |");
  console.log("|---|---|---|---|---|---|");
  for (const r of results) {
    const s = (ms: number) => (ms / 1000).toFixed(1);
    console.log(
      `| ${r.how} | ${r.sessions} | ${s(percentile(r.times, 50))} | ${s(percentile(r.times, 95))} | ${s(r.times.at(-1) ?? Number.NaN)} | ${r.notShown} |`,
    );
  }
}

function printLeaseCost(costs: LeaseCost[]): void {
  console.log(`\nWhat the lease costs at 500 live sessions (R = ${timing.rotateMs / 1000} s)`);
  console.log("| SESSION_LOCK_MS | Redis cmd/s | Redis CPU cores | worker CPU cores |");
  console.log("|---|---|---|---|");
  for (const c of costs) {
    console.log(
      `| ${c.leaseMs} | ${c.redisCommandsPerSecond.toFixed(0)} | ${c.redisCpuCores.toFixed(3)} | ${c.workerCpuCores.toFixed(2)} |`,
    );
  }
}

const pngs = new Map<string, Promise<Buffer>>();
/** The PNG the fake GREEN-API serves for a payload (same library, same options). */
function qrPng(payload: string): Promise<Buffer> {
  let png = pngs.get(payload);
  if (!png) {
    png = QRCode.toBuffer(payload, { type: "png", width: 264, margin: 2 });
    pngs.set(payload, png);
  }
  return png;
}

function sha1(data: Buffer): string {
  return createHash("sha1").update(data).digest("hex");
}

// ---- printing -----------------------------------------------------------------------------

function printRender(render: RenderFigures): void {
  console.log(
    `render per frame (median of ${render.frames}): fast ${render.fastMedianMs.toFixed(1)} ms, naive ${render.naiveMedianMs.toFixed(1)} ms, ${(render.naiveMedianMs / render.fastMedianMs).toFixed(1)}x faster; CPU per fast render ${render.fastCpuMs.toFixed(1)} ms`,
  );
  console.log(
    `R = ${timing.rotateMs / 1000} s, poll ${POLL_MS} ms, window ${timing.measureMs / 1000} s${quick ? " (--quick)" : ""}; settle ${(seconds("settle") ?? timing.settleMs) / 1000} s (phase-locked and auto: ${(seconds("settle") ?? LEARN_SETTLE_MS) / 1000} s); naive-*: the reference bot (1 s polls, jimp, edits, no pacing); CPU, RSS: the worker's (or the naive bot's); ticks and redis: greenlight only\n`,
  );
}

const COLUMNS = [
  "scenario",
  "N",
  "rotations",
  "p50 ms",
  "p95 ms",
  "p99 ms",
  "stale %",
  "qr calls/rot",
  "GA 429s",
  "missed",
  "tg calls/rot",
  "GA req/sess·min",
  "CPU cores",
  "CPU ms/tick",
  "peak RSS MB",
  "redis cmd/tick",
  "queued",
];

function printRow(f: Figures, header: boolean): void {
  if (header) {
    console.log(`| ${COLUMNS.join(" | ")} |`);
    console.log(`|${COLUMNS.map(() => "---").join("|")}|`);
  }
  const cells = [
    f.scenario.name,
    f.scenario.sessions,
    f.rotations,
    percentile(f.latencies, 50).toFixed(0),
    percentile(f.latencies, 95).toFixed(0),
    percentile(f.latencies, 99).toFixed(0),
    (100 * f.staleShare).toFixed(2),
    f.qrCallsPerRotation.toFixed(1),
    f.greenApi429s,
    f.missed,
    f.telegramCallsPerRotation.toFixed(2),
    f.greenApiPerSessionMinute.toFixed(1),
    f.cpuCores.toFixed(2),
    f.ticks > 0 ? f.cpuMsPerTick.toFixed(3) : "–",
    f.maxRssMb.toFixed(0),
    f.ticks > 0 ? f.redisPerTick.toFixed(2) : "–",
    f.queued,
  ];
  console.log(`| ${cells.join(" | ")} |`);
  // A session that stopped asking measures nothing: say so rather than print a quiet row.
  if (f.silent > 0)
    console.log(
      `!! ${f.scenario.name}: ${f.silent} sessions asked GREEN-API nothing in the window (they ended; BENCH_LOG_LEVEL=info shows why)`,
    );
}

function printMachine(): void {
  console.log(
    `\n${cpus().length} × ${cpus()[0]?.model ?? "?"}, node ${process.version}, ${new Date().toISOString()}`,
  );
}

// `npm run bench -- --fleet`: the fleet watcher's figures instead (bench/fleet.ts); with
// --workers=2, two workers sharing it and a kill -9 (bench/fleet-takeover.ts); with --webhooks or
// --logout, those fleet events (bench/fleet-events.ts).
if (args.includes("--relay")) {
  await (await import("./relay.js")).runRelayBench();
} else if (args.includes("--history")) {
  // bench/history.ts: 10,000 instances with 90 days of incident history.
  await import("./history.js");
} else if (args.includes("--fleet") && args.includes("--webhooks")) {
  await (await import("./fleet-events.js")).runWebhookBench();
} else if (args.includes("--fleet") && args.includes("--logout")) {
  await (await import("./fleet-events.js")).runLogoutBench();
} else if (args.includes("--fleet") && args.includes("--workers=2")) {
  await (await import("./fleet-takeover.js")).runTakeoverBench();
} else if (args.includes("--fleet")) await (await import("./fleet.js")).runFleetBench();
else if (args.includes("--metrics")) await (await import("./metrics-scrape.js")).runMetricsBench();
else await main();
