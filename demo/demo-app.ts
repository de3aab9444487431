// `npm run demo`'s insides: greenlight, as main.ts builds it, against the project's fake Telegram
// and fake GREEN-API, plus a small web page that shows the fake Telegram's chats like a phone.
// Nothing here reaches the network: both fakes listen on loopback.
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createGreenlight, type Greenlight } from "../src/app/index.js";
import { parseEnv } from "../src/config/env.js";
import { type Config, configFrom } from "../src/config/index.js";
import { createLogger, type Logger } from "../src/shared/logger.js";
import { Redactor } from "../src/shared/redact.js";
import { FakeGreenApi, type FakeInstance } from "../test/fakes/fake-green-api.js";
import { FakeTelegram, type StoredMessage } from "../test/fakes/fake-telegram.js";
import { freePort } from "../test/kit/redis-server.js";

/** The person at the keyboard: an operator of every instance, in a private chat with the bot. */
export const DEMO_USER = 1001;
const MAX_BODY_BYTES = 16 * 1024;
/** Tries at greenlight's HTTP port before the demo gives up (see startDemo). */
const START_ATTEMPTS = 3;
const PAGE = new URL("./page.html", import.meta.url);
/** The tab's icon: a green light in a chat bubble, small enough to keep inline. */
const FAVICON = [
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">',
  '<path d="M32 4C16.5 4 4 15.6 4 30c0 6.9 2.9 13.2 7.6 17.8L8 60l13.3-6.1C24.6 55.3 28.2 56 32 56',
  'c15.5 0 28-11.6 28-26S47.5 4 32 4z" fill="#3390ec"/>',
  '<circle cx="32" cy="30" r="13" fill="#4ade80" stroke="#fff" stroke-width="4"/>',
  "</svg>",
].join("");

interface DemoInstance {
  name: string;
  idInstance: string;
  apiTokenInstance: string;
  state: "notAuthorized" | "authorized";
  needsLogout?: boolean;
  phone: string;
}

/** Three instances, one per situation a newcomer wants to see. */
const INSTANCES: DemoInstance[] = (
  [
    { name: "shop", idInstance: "1101000001", state: "notAuthorized", phone: "79001234567" },
    { name: "support", idInstance: "1101000002", state: "authorized", phone: "4915123456789" },
    {
      name: "depot",
      idInstance: "1101000003",
      state: "notAuthorized",
      needsLogout: true,
      // A number libphonenumber-js knows as valid (Ofcom's 7700 900xxx drama range is not), so
      // typing it after /code depot is accepted.
      phone: "447911123456",
    },
  ] satisfies Array<Omit<DemoInstance, "apiTokenInstance">>
).map((instance) => ({ ...instance, apiTokenInstance: randomBytes(25).toString("hex") }));

/** Each instance's seeded number (digits, country code first): what Scan links it as. */
export const SEEDED_PHONES: ReadonlyMap<string, string> = new Map(
  INSTANCES.map(({ name, phone }) => [name, phone]),
);

export interface DemoOptions {
  redisUrl: string;
  /** Port of the page; 0 picks a free one. */
  port?: number;
  /** How often the fake GREEN-API serves a new QR (the real one: about every 20 s). */
  qrRotateMs?: number;
  /** How often the watcher checks the instances (alerts). */
  statePollMs?: number;
  logger?: Logger;
}

export interface Demo {
  url: string;
  telegram: FakeTelegram;
  greenApi: FakeGreenApi;
  instance(name: string): FakeInstance;
  stop(): Promise<void>;
}

export async function startDemo(options: DemoOptions): Promise<Demo> {
  const telegram = await FakeTelegram.start({ botUsername: "greenlight_demo_bot" });
  const greenApi = await FakeGreenApi.start({ enforceRateLimits: true });
  const fakes = new Map<string, FakeInstance>();
  for (const i of INSTANCES) {
    const fake = greenApi.addInstance({
      idInstance: i.idInstance,
      apiTokenInstance: i.apiTokenInstance,
      state: i.state,
      phone: i.phone,
      needsLogout: i.needsLogout ?? false,
      qrRotateMs: options.qrRotateMs ?? 8_000,
    });
    fakes.set(i.name, fake);
  }
  const instancesFile = writeInstancesFile(
    INSTANCES.map(({ name, idInstance, apiTokenInstance }) => ({
      name,
      idInstance,
      apiTokenInstance,
      apiUrl: greenApi.apiUrl,
    })),
  );
  // A prefix of its own: the demo may share a Redis with something else.
  const redisPrefix = `demo-${randomBytes(4).toString("hex")}`;
  const envFor = (httpPort: number) =>
    parseEnv({
      BOT_TOKEN: telegram.token,
      OPERATOR_IDS: String(DEMO_USER),
      TELEGRAM_API_ROOT: telegram.apiRoot,
      // Both fakes speak plain http on loopback.
      ALLOW_INSECURE_HTTP: "1",
      INSTANCES_FILE: instancesFile.path,
      REDIS_URL: options.redisUrl,
      REDIS_PREFIX: redisPrefix,
      STATE_POLL_INTERVAL_MS: String(options.statePollMs ?? 5_000),
      // greenlight's own HTTP server on loopback, plain http (ALLOW_INSECURE_HTTP above): /link's
      // page opens from the demo chat in a new tab.
      HTTP_PORT: String(httpPort),
      PUBLIC_URL: `http://127.0.0.1:${httpPort}`,
      LOG_LEVEL: "warn",
    });
  const logger =
    options.logger ??
    createLogger({
      level: "warn",
      redactor: new Redactor([telegram.token, ...INSTANCES.map((i) => i.apiTokenInstance)]),
    });
  let app: Greenlight | undefined;
  // PUBLIC_URL must name the port before the server binds it: a free port is found first, and
  // someone may take it in between (then another one is tried).
  for (let attempt = 1; app === undefined; attempt++) {
    const config: Config = configFrom(envFor(await freePort()));
    const starting = createGreenlight(config, logger);
    try {
      await starting.start();
      app = starting;
    } catch (error) {
      await starting.stop().catch(() => undefined);
      if (attempt < START_ATTEMPTS && String(error).includes("EADDRINUSE")) continue;
      await Promise.allSettled([telegram.close(), greenApi.close()]);
      instancesFile.remove();
      throw error;
    }
  }
  const started: Greenlight = app;
  // The user has a private chat with the bot from the start: alerts have somewhere to go.
  telegram.userStartedBot(DEMO_USER);
  telegram.userSends({ chatId: DEMO_USER, fromId: DEMO_USER, text: "/start", firstName: "You" });

  const page = createServer((req, res) => {
    handle(req, res, { telegram, greenApi, fakes }).catch((error: unknown) => {
      sendJson(res, 400, { error: error instanceof Error ? error.message : String(error) });
    });
  });
  const port = await listenOn(page, options.port ?? 0);
  return {
    url: `http://127.0.0.1:${port}/`,
    telegram,
    greenApi,
    instance: (name) => {
      const fake = fakes.get(name);
      if (!fake) throw new Error(`no demo instance ${name}`);
      return fake;
    },
    async stop() {
      page.closeAllConnections();
      await new Promise((resolve) => page.close(resolve));
      await started.stop().catch((error: unknown) => logger.error({ err: error }, "stopping"));
      await telegram.close();
      await greenApi.close();
      instancesFile.remove();
    },
  };
}

interface PageDeps {
  telegram: FakeTelegram;
  greenApi: FakeGreenApi;
  fakes: Map<string, FakeInstance>;
}

/**
 * The number of the newest pairing code GREEN-API handed out for this instance, unless a QR was
 * shown since: the phone that links is the one the code was typed on, not the seeded one.
 */
function codePhone(greenApi: FakeGreenApi, fake: FakeInstance): string | undefined {
  const newest = (method: string) =>
    greenApi.callsOf(method, fake.idInstance).findLast((call) => call.status === 200);
  const code = newest("getAuthorizationCode");
  const qr = newest("qr");
  if (!code || (qr && qr.at > code.at) || fake.authorizationCodes().length === 0) return undefined;
  const phone = (code.body as { phoneNumber?: unknown } | undefined)?.phoneNumber;
  return typeof phone === "number" ? String(phone) : undefined;
}

async function handle(req: IncomingMessage, res: ServerResponse, deps: PageDeps): Promise<void> {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  const { telegram, greenApi, fakes } = deps;
  if (req.method === "GET" && url.pathname === "/") {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });
    res.end(readFileSync(PAGE));
    return;
  }
  if (
    req.method === "GET" &&
    (url.pathname === "/favicon.svg" || url.pathname === "/favicon.ico")
  ) {
    res.writeHead(200, { "content-type": "image/svg+xml", "cache-control": "max-age=86400" });
    res.end(FAVICON);
    return;
  }
  if (req.method === "GET" && url.pathname === "/api/events") return streamState(req, res, deps);
  if (req.method === "GET" && url.pathname === "/api/state") {
    sendJson(res, 200, snapshot(deps));
    return;
  }
  const photo = /^\/photo\/(-?\d+)\/(\d+)$/.exec(url.pathname);
  if (req.method === "GET" && photo) {
    const message = telegram.message(Number(photo[1]), Number(photo[2]));
    if (!message?.photo) return sendJson(res, 404, { error: "no such photo" });
    res.writeHead(200, { "content-type": "image/png", "cache-control": "max-age=3600" });
    res.end(message.photo);
    return;
  }
  if (req.method !== "POST") return sendJson(res, 404, { error: "not found" });
  const body = await readJson(req);
  const languageCode = body.language === "ru" ? "ru" : "en";
  if (url.pathname === "/api/send") {
    const text = typeof body.text === "string" ? body.text.trim().slice(0, 4096) : "";
    if (!text) return sendJson(res, 400, { error: "type something" });
    // A reply, as Telegram sends one: the message it answers goes along as reply_to_message.
    const replyTo = body.replyTo === undefined ? undefined : Number(body.replyTo);
    if (replyTo !== undefined && !repliable(telegram, replyTo))
      return sendJson(res, 400, { error: "that message is gone: reply to another one" });
    telegram.userSends({
      chatId: DEMO_USER,
      fromId: DEMO_USER,
      text,
      languageCode,
      ...(replyTo !== undefined ? { replyToMessageId: replyTo } : {}),
    });
    return sendJson(res, 200, { ok: true });
  }
  if (url.pathname === "/api/press") {
    const messageId = Number(body.messageId);
    const data = typeof body.data === "string" ? body.data : "";
    telegram.userPresses({
      chatId: DEMO_USER,
      fromId: DEMO_USER,
      messageId,
      data,
      languageCode,
      requireButton: true,
    });
    return sendJson(res, 200, { ok: true });
  }
  if (url.pathname === "/api/instance") {
    const fake = fakes.get(String(body.name));
    if (!fake) return sendJson(res, 400, { error: "no such instance" });
    if (body.action === "scan") {
      // As if someone scanned the QR, or typed the pairing code, on their phone: GREEN-API now
      // reports "authorized", as the number the code was for if a code was asked for last, else
      // as the instance's own number (the phone that scans).
      fake.authorize(codePhone(greenApi, fake) ?? SEEDED_PHONES.get(String(body.name)));
    } else if (body.action === "logout") {
      // As if WhatsApp logged the instance out; a new session means a new QR.
      fake.logout();
      fake.rotateQr();
    } else if (body.action === "stale-login") {
      // The old login is unusable: GREEN-API answers "Instance has auth. You need to make log out".
      fake.state = "notAuthorized";
      fake.needsLogout = true;
    } else return sendJson(res, 400, { error: "unknown action" });
    return sendJson(res, 200, { ok: true });
  }
  sendJson(res, 404, { error: "not found" });
}

/** A message of the demo chat that is still there to be replied to. */
function repliable(telegram: FakeTelegram, messageId: number): boolean {
  if (!Number.isSafeInteger(messageId)) return false;
  const message = telegram.message(DEMO_USER, messageId);
  return message !== undefined && !message.deleted;
}

/** Server-sent events: the whole state whenever it changed, checked 4 times a second. */
function streamState(req: IncomingMessage, res: ServerResponse, deps: PageDeps): void {
  res.writeHead(200, {
    "content-type": "text/event-stream",
    "cache-control": "no-store",
    connection: "keep-alive",
  });
  let last = "";
  const push = () => {
    const json = JSON.stringify(snapshot(deps));
    if (json === last) return;
    last = json;
    res.write(`data: ${json}\n\n`);
  };
  push();
  const timer = setInterval(push, 250);
  req.on("close", () => clearInterval(timer));
}

interface PageMessage {
  id: number;
  fromBot: boolean;
  text?: string;
  caption?: string;
  /** Changes whenever the photo does, so the browser reloads only new ones. */
  photo?: string;
  buttons: Array<Array<{ text: string; data?: string; url?: string }>>;
  /** The message this one answers (Telegram shows it quoted above the text). */
  replyTo?: number;
  /** force_reply: the app opens a reply to this message, with this hint in the input box. */
  forceReply?: { placeholder?: string };
  edits: number;
  deleted: boolean;
}

function snapshot({ telegram, fakes }: PageDeps) {
  const messages: PageMessage[] = telegram
    .conversation(DEMO_USER)
    .map(({ fromBot, message, replyToMessageId }) => ({
      ...pageMessage(fromBot, message),
      ...(replyToMessageId !== undefined ? { replyTo: replyToMessageId } : {}),
    }));
  // What the bot answered to button presses (Telegram shows these as a short toast).
  const toasts = telegram
    .callsOf("answerCallbackQuery")
    .filter((call) => call.ok && typeof call.params.text === "string")
    .slice(-1)
    .map((call) => ({ text: String(call.params.text), at: call.at }));
  const instances = [...fakes].map(([name, fake]) => ({
    name,
    state: fake.state,
    needsLogout: fake.needsLogout,
  }));
  return { messages, toasts, instances };
}

function pageMessage(fromBot: boolean, m: StoredMessage): PageMessage {
  const markup = m.replyMarkup as
    | { inline_keyboard?: unknown[][]; force_reply?: boolean; input_field_placeholder?: string }
    | undefined;
  const keyboard = markup?.inline_keyboard;
  const buttons = (keyboard ?? []).map((row) =>
    row.map((raw) => {
      const b = raw as { text: string; callback_data?: string; url?: string };
      return {
        text: b.text,
        ...(b.callback_data ? { data: b.callback_data } : {}),
        ...(b.url ? { url: b.url } : {}),
      };
    }),
  );
  const photoVersion = m.history.filter((v) => v.photo).length;
  return {
    id: m.messageId,
    fromBot,
    ...(m.text !== undefined ? { text: m.text } : {}),
    ...(m.caption !== undefined ? { caption: m.caption } : {}),
    ...(m.photo ? { photo: `/photo/${m.chatId}/${m.messageId}?v=${photoVersion}` } : {}),
    buttons,
    ...(markup?.force_reply
      ? {
          forceReply:
            typeof markup.input_field_placeholder === "string"
              ? { placeholder: markup.input_field_placeholder }
              : {},
        }
      : {}),
    edits: m.editCount,
    deleted: m.deleted,
  };
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new Error("request too large");
    chunks.push(chunk);
  }
  const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}");
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed))
    throw new Error("send a JSON object");
  return parsed as Record<string, unknown>;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

function listenOn(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    // Loopback only: the page drives a bot, it is not for the network.
    server.listen(port, "127.0.0.1", () => {
      const address = server.address();
      resolve(typeof address === "object" && address ? address.port : port);
    });
  });
}

/** The instances file greenlight reads, in a temp folder of its own that `remove` deletes. */
function writeInstancesFile(instances: unknown[]): { path: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), "greenlight-demo-"));
  const path = join(dir, "instances.json");
  writeFileSync(path, JSON.stringify(instances));
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
