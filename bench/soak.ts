// Soak: many QR sessions for many minutes against the fakes, with random GREEN-API faults (500,
// 429, timeouts, bad JSON) and Telegram 429s (flood limits enforced), greenlight running as its
// own process on a private Redis. Prints what an operator would care about, then exits non-zero
// if a target was missed.
//
//   npm run soak                              # 200 sessions at a time, 10 minutes
//   npm run soak -- --minutes 2 --sessions 50
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import {
  FakeGreenApi,
  type FakeInstance,
  type ScriptedResponse,
} from "../test/fakes/fake-green-api.js";
import { FakeTelegram, type StoredMessage } from "../test/fakes/fake-telegram.js";
import { scanPng } from "../test/kit/qr-decode.js";
import { startPrivateOrGivenRedis } from "../test/kit/redis-server.js";
import { productionNodeFlags } from "./worker-process.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

const { values: args } = parseArgs({
  options: {
    minutes: { type: "string", default: "10" },
    sessions: { type: "string", default: "200" },
    /** Keep greenlight's whole log in this file (to look into a failure). */
    log: { type: "string" },
  },
});
const MINUTES = Number(args.minutes);
const SESSIONS = Number(args.sessions);
if (!(MINUTES > 0) || !(SESSIONS > 0 && SESSIONS <= 999)) {
  console.error("usage: npm run soak -- [--minutes 10] [--sessions 200]  (sessions 1..999)");
  process.exit(2);
}

/** GREEN-API serves a new QR about every 20 s. */
const ROTATE_MS = 20_000;
/** A QR that was current at least this long must have reached the operator's screen. */
const MUST_SHOW_MS = 12_000;
const GREEN_API_TIMEOUT_MS = 5_000;
/**
 * Sessions in a group (20 messages a minute per group; a QR costs 3 edits a minute): two more than
 * greenlight keeps live in a group (QR_MAX_SESSIONS_PER_GROUP, 3), so the group's line is used.
 */
const PER_GROUP = 5;
/** A session waiting in its group's line waits for one of the live ones there to end. */
const QUEUED_WAIT_MS = 6 * 60_000;
const QUEUED = "waiting its turn";
const PER_PRIVATE_CHAT = 4;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const random = (min: number, max: number) => min + Math.random() * (max - min);
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)] as T;

// ---- the world: Redis, fakes, greenlight -------------------------------------------------------

interface Greenlight {
  child: ChildProcess;
  errorLines: string[];
  errorCount: () => number;
  exited: Promise<number | null>;
}

/** Where the soak compiles greenlight to (gitignored, like the bench's build). */
const BUILD_DIR = join(ROOT, ".bench", "soak");

/**
 * Compiles greenlight with tsc as `npm run build` does: the soak runs it as `npm start` does (plain
 * node, production's node flags such as the heap limit). Until 0.3 it ran under tsx without the
 * heap limit, and its RSS counted tsx's loader and a heap V8 let grow unchecked (486 MB in 0.2.0).
 */
function buildGreenlight(): string {
  const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
  execFileSync(
    process.execPath,
    [
      tsc,
      "-p",
      join(ROOT, "tsconfig.build.json"),
      "--outDir",
      join(BUILD_DIR, "dist"),
      "--tsBuildInfoFile",
      join(BUILD_DIR, ".tsbuildinfo"),
    ],
    { stdio: "inherit", env: { ...process.env } },
  );
  return join(BUILD_DIR, "dist", "main.js");
}

/** greenlight as its own process (so its RSS is its own), counting error lines it logs. */
function spawnGreenlight(env: Record<string, string>): Greenlight {
  const child = spawn(process.execPath, [...productionNodeFlags(), buildGreenlight()], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const errorLines: string[] = [];
  let errors = 0;
  let partial = "";
  const onData = (chunk: Buffer) => {
    if (args.log) appendFileSync(args.log, chunk);
    const lines = (partial + chunk.toString("utf8")).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) {
      const level = /"level":(\d+)/.exec(line)?.[1];
      if (level === undefined ? line.trim() !== "" : Number(level) >= 50) {
        errors += 1;
        if (errorLines.length < 5) errorLines.push(line.slice(0, 300));
      }
    }
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  process.once("exit", () => child.kill("SIGKILL"));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, errorLines, errorCount: () => errors, exited };
}

function rssMb(pid: number): number | undefined {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}

// ---- one slot: an instance an operator keeps re-linking ---------------------------------------

interface Slot {
  name: string;
  /** /qr commands sent for this instance. */
  started: number;
  instance: FakeInstance;
  chatId: number;
  operatorId: number;
  group: boolean;
}

interface QrLife {
  payload: string;
  from: number;
  to: number;
}

const toCheck: Array<{ slot: Slot; message: StoredMessage; lives: QrLife[] }> = [];

const results = {
  started: 0,
  finished: 0,
  notFinished: [] as string[],
  qrsExpected: 0,
  qrsMissed: 0,
  missedExamples: [] as string[],
  foreignQrs: 0,
  /** Sessions that waited in line (their chat's or the bot's) before their first QR. */
  queued: 0,
  longestQueueMs: 0,
};

/** Messages of the bot in the slot's chat that belong to the slot's instance. */
function photosOf(telegram: FakeTelegram, slot: Slot): StoredMessage[] {
  return telegram
    .messagesIn(slot.chatId)
    .filter((m) => m.kind === "photo" && m.history.some((v) => mentions(v.caption, slot.name)));
}

const mentions = (caption: string | undefined, name: string) =>
  caption !== undefined && new RegExp(`(^|[^\\w-])${name}([^\\w-]|$)`).test(caption);

async function waitFor<T>(check: () => T | undefined, timeoutMs: number): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = check();
    if (value !== undefined) return value;
    await sleep(250);
  }
  return undefined;
}

/** Runs sessions back to back on one instance until `until`, checking each one as it ends. */
async function runSlot(telegram: FakeTelegram, slot: Slot, until: number): Promise<void> {
  const lifetimeMs = () => random(0.1, 0.35) * MINUTES * 60_000 + 30_000;
  while (Date.now() < until) {
    const before = new Set(photosOf(telegram, slot).map((m) => m.messageId));
    const lives: QrLife[] = [{ payload: slot.instance.rotateQr(), from: Date.now(), to: 0 }];
    const startedAt = Date.now();
    telegram.userSends({
      chatId: slot.chatId,
      fromId: slot.operatorId,
      chatType: slot.group ? "group" : "private",
      text: `/qr ${slot.name}`,
    });
    results.started += 1;
    slot.started += 1;
    const message = await waitFor(
      () => photosOf(telegram, slot).find((m) => !before.has(m.messageId)),
      60_000,
    );
    if (!message) {
      results.notFinished.push(`${slot.name}: no session message`);
      await sleep(5000);
      continue;
    }
    const endAt = Math.min(until, startedAt + lifetimeMs());
    while (Date.now() < endAt) {
      const next = Math.min(endAt, Date.now() + ROTATE_MS + random(-2000, 2000));
      await sleep(next - Date.now());
      if (Date.now() >= endAt) break;
      const now = Date.now();
      (lives.at(-1) as QrLife).to = now;
      lives.push({ payload: slot.instance.rotateQr(), from: now, to: 0 });
    }
    // The phone scans what is on screen: never before a QR has appeared on the message (a session
    // started in the soak's last seconds, or still waiting in line, would otherwise be "scanned"
    // before its first QR).
    const caption = () => telegram.message(slot.chatId, message.messageId)?.caption ?? "";
    const shown = await waitFor(
      () => (caption().includes("Scan to link") ? true : undefined),
      caption().includes(QUEUED) ? QUEUED_WAIT_MS : 60_000,
    );
    (lives.at(-1) as QrLife).to = Date.now();
    if (!shown) {
      results.notFinished.push(`${slot.name}: no QR on screen within 60 s`);
      toCheck.push({ slot, message, lives });
      continue;
    }
    slot.instance.authorize();
    const ended = await waitFor(
      () =>
        telegram.message(slot.chatId, message.messageId)?.caption?.includes("is authorized")
          ? true
          : undefined,
      90_000,
    );
    if (ended) results.finished += 1;
    else {
      const caption = telegram.message(slot.chatId, message.messageId)?.caption ?? "";
      results.notFinished.push(`${slot.name}: ${caption.split("\n")[0]}`);
    }
    // Decoded after the run: decoding now would slow the fakes down and cause the misses it counts.
    toCheck.push({ slot, message, lives });
    slot.instance.logout();
    await sleep(random(1000, 5000));
  }
}

/**
 * Every QR that was current long enough must be among the pictures the message showed. While the
 * message said "waiting its turn" the session was in line by design (its operator was told so), so
 * a QR counts from the moment the session left the line.
 */
async function checkQrs(slot: Slot, message: StoredMessage, lives: QrLife[]): Promise<void> {
  const lastQueued = message.history.findLastIndex((v) => v.caption?.includes(QUEUED));
  const leftLineAt = lastQueued < 0 ? 0 : (message.history[lastQueued + 1]?.at ?? Infinity);
  if (lastQueued >= 0) {
    results.queued += 1;
    const joined = message.history.find((v) => v.caption?.includes(QUEUED))?.at ?? leftLineAt;
    if (Number.isFinite(leftLineAt))
      results.longestQueueMs = Math.max(results.longestQueueMs, leftLineAt - joined);
  }
  const shown = new Set<string>();
  for (const version of message.history) {
    if (!version.photo) continue;
    const payload = await scanPng(version.photo);
    if (payload === null) continue; // a status card
    if (!payload.includes(`-${slot.instance.idInstance}-`)) results.foreignQrs += 1;
    shown.add(payload);
    version.photo = undefined; // checked: let the memory go
  }
  for (const life of lives) {
    if (life.to - Math.max(life.from, leftLineAt) < MUST_SHOW_MS) continue;
    results.qrsExpected += 1;
    if (!shown.has(life.payload)) {
      results.qrsMissed += 1;
      if (results.missedExamples.length < 20) {
        results.missedExamples.push(
          `${slot.name}: QR current ${Math.round((life.to - life.from) / 1000)} s never shown`,
        );
      }
    }
  }
}

// ---- faults ----------------------------------------------------------------------------------

const GREEN_API_FAULTS: ReadonlyArray<[string, ScriptedResponse]> = [
  ["500", { status: 500, json: { message: "Internal Server Error" } }],
  ["429", { status: 429, json: {} }],
  ["timeout", { delayMs: GREEN_API_TIMEOUT_MS + 3_000, json: {} }],
  ["bad JSON", { status: 200, raw: '{"type":"qrCode","mess' }],
];

async function injectFaults(
  greenApi: FakeGreenApi,
  telegram: FakeTelegram,
  slots: Slot[],
  until: number,
  counts: Record<string, number>,
): Promise<void> {
  // About 2% of GREEN-API calls fail (a session polls once a second).
  const everyMs = 1000 / (slots.length * 0.02);
  while (Date.now() < until) {
    await sleep(everyMs);
    // One fault at a time per instance: faults piled up on an instance between its sessions
    // would otherwise hit the next session as one long outage, not as independent failures.
    const { idInstance } = pick(slots).instance;
    if (greenApi.scriptedLeft(idInstance, "qr") > 0) continue;
    const [kind, response] = pick(GREEN_API_FAULTS);
    greenApi.script(idInstance, "qr", response);
    counts[kind] = (counts[kind] ?? 0) + 1;
    if (Math.random() < 0.1) {
      const retryAfter = Math.ceil(random(0, 3));
      telegram.failNext("editMessageMedia", {
        errorCode: 429,
        description: `Too Many Requests: retry after ${retryAfter}`,
        retryAfter,
      });
      counts["Telegram 429 (injected)"] = (counts["Telegram 429 (injected)"] ?? 0) + 1;
    }
  }
}

// ---- main ------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const redis = await startPrivateOrGivenRedis("soak");
  const telegram = await FakeTelegram.start({ enforceRateLimits: true });
  const greenApi = await FakeGreenApi.start({ enforceRateLimits: true });

  const slots: Slot[] = [];
  // Round robin over the chats: sessions started one after another land in different chats, as
  // they would with many operators (Telegram allows about one message a second per chat).
  const groups = Math.floor((SESSIONS * 0.1) / PER_GROUP);
  const inGroups = groups * PER_GROUP;
  const privateChats = Math.ceil((SESSIONS - inGroups) / PER_PRIVATE_CHAT);
  for (let i = 0; i < SESSIONS; i++) {
    const inGroup = i < inGroups;
    const chatIndex = inGroup ? i % groups : (i - inGroups) % privateChats;
    const operatorId = 3000 + chatIndex + (inGroup ? 0 : 500);
    slots.push({
      name: `s-${String(i).padStart(3, "0")}`,
      started: 0,
      instance: greenApi.addInstance({
        idInstance: 1101100000 + i,
        apiTokenInstance: randomBytes(25).toString("hex"),
        qrRotateMs: 24 * 3_600_000, // rotated by the slot, which keeps the timeline
      }),
      chatId: inGroup ? -100700 - chatIndex : operatorId,
      operatorId,
      group: inGroup,
    });
  }
  const dir = mkdtempSync(join(tmpdir(), "greenlight-soak-"));
  const instancesFile = join(dir, "instances.json");
  writeFileSync(
    instancesFile,
    JSON.stringify(
      slots.map((s) => ({
        name: s.name,
        idInstance: s.instance.idInstance,
        apiTokenInstance: s.instance.apiTokenInstance,
        apiUrl: greenApi.apiUrl,
      })),
    ),
  );

  const app = spawnGreenlight({
    BOT_TOKEN: telegram.token,
    OPERATOR_IDS: [...new Set(slots.map((s) => s.operatorId))].join(","),
    INSTANCES_FILE: instancesFile,
    REDIS_URL: redis.url,
    REDIS_PREFIX: "soak",
    TELEGRAM_API_ROOT: telegram.apiRoot,
    // The fakes speak plain http on loopback.
    ALLOW_INSECURE_HTTP: "1",
    // The soak's groups are trusted with QR codes (README "Who may do what").
    SECRET_CHAT_IDS: [...new Set(slots.map((s) => s.chatId).filter((id) => id < 0))].join(","),
    GREEN_API_TIMEOUT_MS: String(GREEN_API_TIMEOUT_MS),
    LOG_LEVEL: "info",
  });
  const pid = app.child.pid ?? 0;
  console.log(
    `soak: ${SESSIONS} sessions at a time for ${MINUTES} min, greenlight pid ${pid}, ${redis.url}`,
  );
  await sleep(3000);

  const startedAt = Date.now();
  const until = startedAt + MINUTES * 60_000;
  const warmUpEnd = startedAt + Math.min(120_000, MINUTES * 60_000 * 0.25);
  const rss: Array<{ at: number; mb: number }> = [];
  const sampler = setInterval(() => {
    const mb = rssMb(pid);
    if (mb !== undefined) rss.push({ at: Date.now(), mb });
  }, 2000);
  const progress = setInterval(() => {
    const minute = ((Date.now() - startedAt) / 60_000).toFixed(1);
    console.log(
      `  ${minute} min: ${results.started} started, ${results.finished} finished, RSS ${rss.at(-1)?.mb.toFixed(0)} MB`,
    );
  }, 60_000);

  // The fakes share this process: if its event loop lags, GREEN-API "times out" for real.
  const lag = monitorEventLoopDelay({ resolution: 20 });
  lag.enable();
  const faults: Record<string, number> = {};
  const rampMs = Math.min(60_000, MINUTES * 60_000 * 0.1);
  await Promise.all([
    injectFaults(greenApi, telegram, slots, until, faults),
    ...slots.map(async (slot, i) => {
      await sleep((i * rampMs) / SESSIONS);
      await runSlot(telegram, slot, until);
    }),
  ]);
  clearInterval(sampler);
  clearInterval(progress);

  app.child.kill("SIGTERM");
  const exitCode = await app.exited;
  lag.disable();
  for (const { slot, message, lives } of toCheck) await checkQrs(slot, message, lives);

  // Duplicates: photo messages beyond the one each /qr asked for.
  let duplicates = 0;
  for (const slot of slots)
    duplicates += Math.max(0, photosOf(telegram, slot).length - slot.started);
  // The fake's own 429s (its flood control), by where they hit: what pacing should keep at 0.
  const flood = telegram.calls.filter((c) => c.errorCode === 429 && !c.scripted);
  const floodBy = new Map<string, number>();
  for (const call of flood) {
    const chatId = call.params.chat_id;
    const where = typeof chatId !== "number" ? "no chat" : chatId < 0 ? "group" : "private";
    const key = `${call.method} in ${where} (${call.floodLimit ?? "?"} limit)`;
    floodBy.set(key, (floodBy.get(key) ?? 0) + 1);
  }
  const peak = Math.max(...rss.map((s) => s.mb));
  const afterWarmUp = rss.filter((s) => s.at >= warmUpEnd);
  const atWarmUp = afterWarmUp[0]?.mb ?? Number.NaN;
  const atEnd = rss.at(-1)?.mb ?? Number.NaN;
  const peakAfterWarmUp = Math.max(...afterWarmUp.map((s) => s.mb));

  const lines = [
    `soak: ${SESSIONS} concurrent sessions, ${MINUTES} min, QR every ~${ROTATE_MS / 1000} s`,
    `sessions finished correctly: ${results.finished} / ${results.started}`,
    `QRs missed:                  ${results.qrsMissed} of ${results.qrsExpected} that were current >= ${MUST_SHOW_MS / 1000} s (foreign QRs shown: ${results.foreignQrs})`,
    `duplicate messages:          ${duplicates}`,
    `waited in line first:        ${results.queued} sessions (longest ${(results.longestQueueMs / 1000).toFixed(0)} s; QRs count from when they left it)`,
    `peak RSS:                    ${peak.toFixed(0)} MB (after warm-up: ${atWarmUp.toFixed(0)} MB, end: ${atEnd.toFixed(0)} MB, peak after warm-up: ${peakAfterWarmUp.toFixed(0)} MB)`,
    `error lines logged:          ${app.errorCount()}`,
    `faults injected:             ${Object.entries(faults)
      .map(([kind, n]) => `${kind} ×${n}`)
      .join(", ")}`,
    `Telegram flood-limit 429s:   ${flood.length}${flood.length ? ` (${[...floodBy].map(([k, n]) => `${k} ×${n}`).join(", ")})` : ""}`,
    `greenlight exit code after SIGTERM: ${exitCode}`,
    `(the fakes' event loop delay: p99 ${(lag.percentile(99) / 1e6).toFixed(0)} ms, max ${(lag.max / 1e6).toFixed(0)} ms)`,
  ];
  console.log(lines.join("\n"));
  for (const example of [...results.notFinished.slice(0, 5), ...results.missedExamples]) {
    console.log(`  ! ${example}`);
  }
  for (const line of app.errorLines) console.log(`  ! ${line}`);

  await telegram.close();
  await greenApi.close();
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
  const ok =
    results.finished === results.started &&
    results.qrsMissed === 0 &&
    results.foreignQrs === 0 &&
    duplicates === 0 &&
    exitCode === 0;
  process.exit(ok ? 0 : 1);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
