// A scriptable fake of the Telegram Bot API for tests: the real grammY talks to it over HTTP
// (`new Bot(token, { client: { apiRoot: fake.apiRoot } })`). It keeps the messages the bot sent,
// serves user updates through getUpdates, answers with Telegram's own error texts and records
// every call.
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { clearTimeout, setTimeout } from "node:timers";
import {
  CallWaiters,
  closeServer,
  describeTimeout,
  listen,
  parseMultipart,
  readBody,
  send,
} from "./http.js";
import { MarkupError, plainText, UnsupportedParseMode } from "./telegram-format.js";

export interface TelegramCall {
  method: string;
  params: Record<string, unknown>;
  /** Uploaded multipart files by part name (grammY names them randomly: see `attach://` params). */
  files: Record<string, Buffer>;
  at: number;
  ok: boolean;
  errorCode?: number;
  description?: string;
  /** The failure was scripted (failNext), not one of the fake's own answers such as flood control. */
  scripted?: boolean;
  /** For the fake's own 429s: the limit that was hit. */
  floodLimit?: FloodLimit;
}

export interface MessageVersion {
  kind: "text" | "photo" | "document";
  text?: string;
  caption?: string;
  photo?: Buffer;
  /** Set instead of `photo` when the bot sent a photo by http(s) URL (the fake fetches nothing). */
  photoUrl?: string;
  /** A sent document's bytes (sendDocument: only uploads are modelled). */
  document?: Buffer;
  replyMarkup?: unknown;
  at: number;
}

/**
 * A message as it is now. `text` and `caption` are what Telegram would show: markup of
 * `parse_mode` removed (the raw input is in the recorded call). `history` holds every version,
 * the first as sent, the last equal to the current state.
 */
export interface StoredMessage {
  chatId: number;
  messageId: number;
  kind: "text" | "photo" | "document";
  text?: string;
  caption?: string;
  photo?: Buffer;
  photoUrl?: string;
  document?: Buffer;
  replyMarkup?: unknown;
  parseMode?: string;
  editCount: number;
  deleted: boolean;
  history: MessageVersion[];
}

export interface FakeTelegramOptions {
  token?: string;
  botUsername?: string;
  enforceRateLimits?: boolean;
  /**
   * A callback query older than this can no longer be answered: "query is too old…" (REAL-API.md).
   * Telegram does not document the window; client reports put it well under 20 s, so the fake
   * allows 10 s (default).
   */
  callbackQueryTtlMs?: number;
}

export interface UserSendsOptions {
  chatId: number;
  fromId: number;
  text: string;
  chatType?: "private" | "group" | "supergroup";
  languageCode?: string;
  firstName?: string;
  replyToMessageId?: number;
}

export interface UserPressesOptions {
  chatId: number;
  fromId: number;
  messageId: number;
  data: string;
  languageCode?: string;
  /**
   * How long ago the user pressed: a press that waited in Telegram's queue while the bot was down
   * arrives this old, and its answer window may be over already. 0 by default.
   */
  ageMs?: number;
  /**
   * Fail (throw) unless the message's current keyboard has a button with this callback_data.
   * Off by default: tests also simulate stale and forged presses.
   */
  requireButton?: boolean;
}

export interface ScriptedTelegramError {
  errorCode: number;
  description: string;
  retryAfter?: number;
}

type Params = Record<string, unknown>;
type Chat = { id: number; type: string; first_name?: string; title?: string };
type User = {
  id: number;
  is_bot: boolean;
  first_name: string;
  username?: string;
  language_code?: string;
};
type PhotoSize = {
  file_id: string;
  file_unique_id: string;
  width: number;
  height: number;
  file_size: number;
};
export type Update = { update_id: number } & Record<string, unknown>;

interface ChatState {
  chat: Chat;
  nextMessageId: number;
  messages: Map<number, Entry>;
}

/** One message in a chat, from the bot or from a user. */
interface Entry {
  fromBot: boolean;
  stored: StoredMessage;
  from: User;
  date: number;
  editDate?: number;
  /** What "message is not modified" compares: raw text/caption, parse mode, photo hash. */
  contentKey: string;
  markupKey: string;
  photoSizes?: PhotoSize[];
  entities?: unknown[];
  replyTo?: Entry;
}

interface Poll {
  wake(reason: "update" | "conflict" | "closed"): void;
}

class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly retryAfter?: number,
    readonly scripted = false,
    readonly limit?: FloodLimit,
  ) {
    super(description);
  }
}

const bad = (text: string) => new ApiError(400, `Bad Request: ${text}`);

const NOT_MODIFIED =
  "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";
const QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid";
// REAL-API.md: a user who never wrote to the bot cannot be written to.
const CANNOT_INITIATE = "Forbidden: bot can't initiate conversation with a user";
// REAL-API.md: a bot that is not an admin of a group may delete only its own messages there.
const CANNOT_DELETE = "message can't be deleted for everyone";
// REAL-API.md: messages gone for good, and a user who blocked the bot.
const MESSAGE_ID_INVALID = "MESSAGE_ID_INVALID";
const BLOCKED = "Forbidden: bot was blocked by the user";

// Sends and edits share Telegram's flood-control budget.
const RATE_LIMITED = new Set([
  "sendMessage",
  "sendPhoto",
  "sendDocument",
  "editMessageText",
  "editMessageCaption",
  "editMessageMedia",
  "editMessageReplyMarkup",
]);

// multipart and query-string values arrive as strings; Telegram reads these as JSON / numbers.
const JSON_FIELDS = new Set([
  "reply_markup",
  "reply_parameters",
  "media",
  "allowed_updates",
  "commands",
  "scope",
  "entities",
  "caption_entities",
  "link_preview_options",
]);
const INT_FIELDS = new Set([
  "chat_id",
  "message_id",
  "reply_to_message_id",
  "message_thread_id",
  "offset",
  "limit",
  "timeout",
  "cache_time",
  "max_connections",
]);
const BOOL_FIELDS = new Set([
  "show_alert",
  "disable_notification",
  "protect_content",
  "drop_pending_updates",
  "allow_sending_without_reply",
  "has_spoiler",
  "show_caption_above_media",
  "disable_web_page_preview",
]);

const CHAT_ACTIONS = new Set([
  "typing",
  "upload_photo",
  "record_video",
  "upload_video",
  "record_voice",
  "upload_voice",
  "upload_document",
  "choose_sticker",
  "find_location",
  "record_video_note",
  "upload_video_note",
]);

// Update types Telegram sends when allowed_updates is not given.
const DEFAULT_EXCLUDED_UPDATES = new Set([
  "chat_member",
  "message_reaction",
  "message_reaction_count",
]);

const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
const MAX_DOCUMENT_BYTES = 50 * 1024 * 1024;

export class FakeTelegram {
  readonly token: string;
  readonly apiRoot: string;
  readonly calls: TelegramCall[] = [];

  private readonly botUser: User;
  private readonly chats = new Map<number, ChatState>();
  private readonly users = new Map<number, User>();
  /** Users who started the bot (wrote to it in private): only their private chats take messages. */
  private readonly startedBy = new Set<number>();
  /** Groups where the bot is an admin (it may delete others' messages there). */
  private readonly adminIn = new Set<number>();
  private readonly fileIds = new Map<string, Buffer>();
  private readonly callbackQueries = new Map<string, { answered: boolean; pressedAt: number }>();
  /** Users who blocked the bot: their private chats refuse everything with 403. */
  private readonly blockedBy = new Set<number>();
  /** Messages Telegram no longer lets anyone edit: MESSAGE_ID_INVALID. */
  private readonly invalidMessages = new Set<string>();
  /** See FakeTelegramOptions.callbackQueryTtlMs. */
  callbackQueryTtlMs: number;
  private readonly failures = new Map<
    string,
    Array<{ error: ScriptedTelegramError; left: number }>
  >();
  private readonly commands = new Map<string, unknown[]>();
  private readonly waiters = new CallWaiters<TelegramCall>();
  private readonly flood: FloodControl | undefined;
  private readonly handlers: Record<
    string,
    (p: Params, files: Record<string, Buffer>, res: ServerResponse) => unknown
  >;
  private readonly methodNames: Map<string, string>;
  private queue: Update[] = [];
  private nextUpdateId = 10_000;
  private nextCallbackId = 1;
  private webhookUrl = "";
  private poll: Poll | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private closed = false;

  private constructor(
    private readonly server: Server,
    port: number,
    opts: FakeTelegramOptions,
  ) {
    // Shaped like a real token (35 characters after the colon): config validation and the log
    // redaction both look for that shape.
    this.token = opts.token ?? "123456:TEST-token-0123456789abcdefghijklmn";
    this.apiRoot = `http://127.0.0.1:${port}`;
    this.botUser = {
      id: Number(this.token.split(":")[0]) || 123456,
      is_bot: true,
      first_name: "greenlight",
      username: opts.botUsername ?? "greenlight_test_bot",
    };
    this.flood = opts.enforceRateLimits ? new FloodControl() : undefined;
    this.callbackQueryTtlMs = opts.callbackQueryTtlMs ?? 10_000;
    this.handlers = {
      getMe: () => ({
        ...this.botUser,
        can_join_groups: true,
        can_read_all_group_messages: false,
        supports_inline_queries: false,
        can_connect_to_business: false,
        has_main_web_app: false,
      }),
      getUpdates: (p, _files, res) => this.getUpdates(p, res),
      setWebhook: (p) => this.setWebhook(p),
      deleteWebhook: (p) => this.setWebhook({ ...p, url: "" }),
      getWebhookInfo: () => ({
        url: this.webhookUrl,
        has_custom_certificate: false,
        pending_update_count: this.queue.length,
      }),
      setMyCommands: (p) => this.setMyCommands(p),
      getMyCommands: (p) => this.commands.get(commandsKey(p)) ?? [],
      deleteMyCommands: (p) => {
        this.commands.delete(commandsKey(p));
        return true;
      },
      sendMessage: (p) => this.sendMessage(p),
      sendPhoto: (p, files) => this.sendPhoto(p, files),
      sendDocument: (p, files) => this.sendDocument(p, files),
      editMessageText: (p) => this.editMessageText(p),
      editMessageCaption: (p) => this.editMessageCaption(p),
      editMessageMedia: (p, files) => this.editMessageMedia(p, files),
      editMessageReplyMarkup: (p) => this.editMessageReplyMarkup(p),
      deleteMessage: (p) => this.deleteMessage(p),
      answerCallbackQuery: (p) => this.answerCallbackQuery(p),
      sendChatAction: (p) => {
        this.chatState(requireChatId(p));
        if (!CHAT_ACTIONS.has(String(p.action))) throw bad("wrong parameter action in request");
        return true;
      },
    };
    // Bot API method names are case-insensitive.
    this.methodNames = new Map(
      Object.keys(this.handlers).map((name) => [name.toLowerCase(), name]),
    );
    server.on("request", (req, res) => {
      const handling = this.handle(req, res);
      this.inFlight.add(handling);
      void handling.finally(() => this.inFlight.delete(handling));
    });
  }

  static async start(opts: FakeTelegramOptions = {}): Promise<FakeTelegram> {
    const server = createServer();
    const port = await listen(server);
    return new FakeTelegram(server, port, opts);
  }

  callsOf(method: string): TelegramCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  // ---- scripting the user side ------------------------------------------------------------

  /** The user pressed Start in a private chat with the bot at some point: it may write to them. */
  userStartedBot(userId: number): void {
    this.startedBy.add(userId);
  }

  /** Makes the bot an admin of a group: it may then delete anyone's messages there. */
  botIsAdminIn(chatId: number): void {
    this.adminIn.add(chatId);
  }

  /** A user writes `text` in a chat; delivered through getUpdates. */
  userSends(opts: UserSendsOptions): { updateId: number; messageId: number } {
    if (opts.chatId === opts.fromId) this.startedBy.add(opts.fromId);
    const state = this.chatState(opts.chatId, opts.chatType, opts.firstName);
    const from = this.rememberUser(opts.fromId, opts.firstName, opts.languageCode);
    const messageId = state.nextMessageId++;
    const entry: Entry = {
      fromBot: false,
      from,
      date: unixNow(),
      contentKey: "",
      markupKey: "",
      stored: newStored(opts.chatId, messageId, { kind: "text", text: opts.text, at: Date.now() }),
    };
    // A leading "/command" (or "/command@bot") is a bot_command entity: grammY's bot.command needs it.
    const command = /^\/[^\s]+/.exec(opts.text);
    if (command) entry.entities = [{ type: "bot_command", offset: 0, length: command[0].length }];
    if (opts.replyToMessageId !== undefined) {
      const target = state.messages.get(opts.replyToMessageId);
      if (!target) {
        throw new Error(
          `FakeTelegram.userSends: no message ${opts.replyToMessageId} in chat ${opts.chatId}`,
        );
      }
      entry.replyTo = target;
    }
    state.messages.set(messageId, entry);
    const updateId = this.enqueue({ message: this.apiMessage(state, entry) });
    return { updateId, messageId };
  }

  /** A user presses an inline button of a message the bot sent; delivered through getUpdates. */
  userPresses(opts: UserPressesOptions): { updateId: number; callbackQueryId: string } {
    const state = this.chats.get(opts.chatId);
    const entry = state?.messages.get(opts.messageId);
    if (!state || !entry?.fromBot || entry.stored.deleted) {
      throw new Error(
        `FakeTelegram.userPresses: the bot has no live message ${opts.messageId} in chat ${opts.chatId}`,
      );
    }
    const data = buttonData(entry.stored.replyMarkup);
    if (opts.requireButton && !data.includes(opts.data)) {
      throw new Error(
        `FakeTelegram.userPresses: message ${opts.chatId}/${opts.messageId} has no button with callback_data ${JSON.stringify(opts.data)} (it has ${JSON.stringify(data)})`,
      );
    }
    const from = this.rememberUser(opts.fromId, undefined, opts.languageCode);
    const callbackQueryId = `${Date.now()}${String(this.nextCallbackId++).padStart(6, "0")}`;
    this.callbackQueries.set(callbackQueryId, {
      answered: false,
      pressedAt: Date.now() - (opts.ageMs ?? 0),
    });
    const updateId = this.enqueue({
      callback_query: {
        id: callbackQueryId,
        from,
        message: this.apiMessage(state, entry),
        chat_instance: `${Math.abs(opts.chatId)}777`,
        data: opts.data,
      },
    });
    return { updateId, callbackQueryId };
  }

  /**
   * The next `times` calls of `method` fail with this error (before any other check except the
   * token). `times` may be Infinity, e.g. for "Forbidden: bot was blocked by the user".
   */
  failNext(method: string, error: ScriptedTelegramError, times = 1): void {
    const list = this.failures.get(method.toLowerCase()) ?? [];
    list.push({ error, left: times });
    this.failures.set(method.toLowerCase(), list);
  }

  /** Forgets every failure scripted with failNext and not yet used (between fuzz sequences). */
  clearScriptedFailures(): void {
    this.failures.clear();
  }

  /** Forgets every chat, message, press and recorded call: a fresh Telegram for the next fuzz sequence. */
  forgetEverything(): void {
    this.chats.clear();
    this.callbackQueries.clear();
    this.calls.length = 0;
  }

  /**
   * Takes the updates waiting for getUpdates out of the queue: a test in BOT_MODE=webhook posts
   * them to the bot's webhook itself, as Telegram would.
   */
  takeQueuedUpdates(): Update[] {
    const taken = this.queue;
    this.queue = [];
    return taken;
  }

  /** The user blocks the bot: every send or edit into their private chat answers 403 from now on. */
  userBlocksBot(userId: number): void {
    this.blockedBy.add(userId);
  }

  /**
   * Telegram stops accepting edits of this message: 400 "MESSAGE_ID_INVALID" (as for a message in a
   * chat whose history was cleared, or one that no longer exists on Telegram's side).
   */
  invalidateMessage(chatId: number, messageId: number): void {
    this.invalidMessages.add(`${chatId}/${messageId}`);
  }

  // ---- inspecting -------------------------------------------------------------------------

  /** Current state of a message the bot sent (undefined for unknown ids and users' messages). */
  message(chatId: number, messageId: number): StoredMessage | undefined {
    const entry = this.chats.get(chatId)?.messages.get(messageId);
    return entry?.fromBot ? entry.stored : undefined;
  }

  /** A message a user sent (to see whether the bot deleted it). */
  userMessage(chatId: number, messageId: number): StoredMessage | undefined {
    const entry = this.chats.get(chatId)?.messages.get(messageId);
    return entry && !entry.fromBot ? entry.stored : undefined;
  }

  /** Every message the bot sent in a chat, deleted ones included, oldest first. */
  messagesIn(chatId: number): StoredMessage[] {
    const entries = [...(this.chats.get(chatId)?.messages.values() ?? [])];
    return entries.filter((entry) => entry.fromBot).map((entry) => entry.stored);
  }

  /** Ids of every chat anyone wrote in, in the order they appeared (the demo page's chat list). */
  chatIds(): number[] {
    return [...this.chats.keys()];
  }

  /** Every message of a chat, the users' and the bot's, oldest first (the demo page shows them). */
  conversation(
    chatId: number,
  ): Array<{ fromBot: boolean; message: StoredMessage; replyToMessageId?: number }> {
    const entries = [...(this.chats.get(chatId)?.messages.values() ?? [])];
    return entries.map((entry) => ({
      fromBot: entry.fromBot,
      message: entry.stored,
      ...(entry.replyTo ? { replyToMessageId: entry.replyTo.stored.messageId } : {}),
    }));
  }

  /** The successful answerCallbackQuery call for this query, if any. */
  answeredCallback(callbackQueryId: string): TelegramCall | undefined {
    return this.calls.find(
      (call) =>
        call.method === "answerCallbackQuery" &&
        call.ok &&
        String(call.params.callback_query_id) === callbackQueryId,
    );
  }

  /** Commands stored by setMyCommands for a scope (default scope) and language ("" = all). */
  myCommands(scope: unknown = { type: "default" }, languageCode = ""): unknown[] {
    return this.commands.get(commandsKey({ scope, language_code: languageCode })) ?? [];
  }

  /** First call (already recorded or future) matching `predicate`. */
  waitFor(predicate: (call: TelegramCall) => boolean, timeoutMs = 5000): Promise<TelegramCall> {
    return this.waiters.wait(this.calls, predicate, timeoutMs, () =>
      describeTimeout(
        "FakeTelegram",
        timeoutMs,
        this.calls.map((c) => (c.ok ? c.method : `${c.method}(${c.errorCode} ${c.description})`)),
      ),
    );
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.poll?.wake("closed");
    this.waiters.rejectAll("FakeTelegram closed while waitFor was pending");
    // Let the released poll (and any request being answered) reach the client before the
    // sockets are dropped.
    let timer: NodeJS.Timeout | undefined;
    const cap = new Promise((resolve) => {
      timer = setTimeout(resolve, 1000);
    });
    await Promise.race([Promise.allSettled([...this.inFlight]), cap]);
    clearTimeout(timer);
    await closeServer(this.server);
  }

  // ---- HTTP -------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = Date.now();
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const route = /^\/bot([^/]*)\/([^/]+)\/?$/.exec(url.pathname);
    let method = route?.[2] ?? url.pathname;
    let params: Params = {};
    let files: Record<string, Buffer> = {};
    try {
      ({ params, files } = await readParams(req, url));
      if (!route) throw new ApiError(404, "Not Found");
      if (route[1] !== this.token) throw new ApiError(401, "Unauthorized");
      const name = this.methodNames.get(method.toLowerCase());
      if (!name) throw new ApiError(404, "Not Found: method not found");
      method = name;
      this.takeScriptedFailure(method);
      if (this.flood && RATE_LIMITED.has(method)) {
        const chatId = typeof params.chat_id === "number" ? params.chat_id : undefined;
        const { retryAfter, limit } = this.flood.take(chatId, Date.now());
        if (retryAfter > 0) {
          const description = `Too Many Requests: retry after ${retryAfter}`;
          throw new ApiError(429, description, retryAfter, false, limit);
        }
      }
      const handler = this.handlers[method];
      const result = await handler?.(params, files, res);
      this.record({ method, params, files, at, ok: true });
      send(res, 200, JSON.stringify({ ok: true, result }));
    } catch (error) {
      const e =
        error instanceof ApiError
          ? error
          : new ApiError(500, `Internal Server Error: fake failed: ${String(error)}`);
      this.record({
        method,
        params,
        files,
        at,
        ok: false,
        errorCode: e.code,
        description: e.description,
        ...(e.scripted ? { scripted: true } : {}),
        ...(e.limit ? { floodLimit: e.limit } : {}),
      });
      const body: Record<string, unknown> = {
        ok: false,
        error_code: e.code,
        description: e.description,
      };
      if (e.retryAfter !== undefined) body.parameters = { retry_after: e.retryAfter };
      send(res, e.code, JSON.stringify(body));
    }
  }

  private record(call: TelegramCall): void {
    this.calls.push(call);
    this.waiters.notify(call);
  }

  private takeScriptedFailure(method: string): void {
    const list = this.failures.get(method.toLowerCase());
    const next = list?.[0];
    if (!list || !next) return;
    next.left -= 1;
    if (next.left <= 0) list.shift();
    const { errorCode, description, retryAfter } = next.error;
    throw new ApiError(errorCode, description, retryAfter, true);
  }

  // ---- updates ----------------------------------------------------------------------------

  private enqueue(update: Record<string, unknown>): number {
    const updateId = this.nextUpdateId++;
    this.queue.push({ update_id: updateId, ...update });
    this.poll?.wake("update");
    return updateId;
  }

  private async getUpdates(p: Params, res: ServerResponse): Promise<Update[]> {
    if (this.webhookUrl) {
      throw new ApiError(
        409,
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      );
    }
    const offset = int(p.offset) ?? 0;
    const limit = Math.min(Math.max(int(p.limit) ?? 100, 1), 100);
    const timeout = Math.min(Math.max(int(p.timeout) ?? 0, 0), 50);
    const allowed =
      Array.isArray(p.allowed_updates) && p.allowed_updates.length > 0
        ? p.allowed_updates.map(String)
        : undefined;
    // Confirm: updates below a positive offset are forgotten; a negative one keeps the last -offset.
    if (offset > 0) this.queue = this.queue.filter((u) => u.update_id >= offset);
    else if (offset < 0) this.queue = this.queue.slice(offset);
    // Like Telegram, a second poller ends the first one with 409.
    this.poll?.wake("conflict");
    const batch = () =>
      this.queue
        .filter((u) => {
          const type = Object.keys(u).find((k) => k !== "update_id") ?? "";
          return allowed ? allowed.includes(type) : !DEFAULT_EXCLUDED_UPDATES.has(type);
        })
        .slice(0, limit);
    const clientGone = !res.socket || res.socket.destroyed;
    if (batch().length > 0 || timeout === 0 || this.closed || clientGone) return batch();
    const reason = await new Promise<string>((resolve) => {
      const finish = (why: string) => {
        clearTimeout(timer);
        res.off("close", onClose);
        // A newer poll may already have taken the slot: only clear our own.
        if (this.poll === poll) this.poll = undefined;
        resolve(why);
      };
      const poll: Poll = { wake: finish };
      const timer = setTimeout(() => finish("timeout"), timeout * 1000);
      const onClose = () => finish("client gone");
      res.once("close", onClose);
      this.poll = poll;
    });
    if (reason === "conflict") {
      throw new ApiError(
        409,
        "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
      );
    }
    return batch();
  }

  private setWebhook(p: Params): true {
    this.webhookUrl = typeof p.url === "string" ? p.url : "";
    if (p.drop_pending_updates === true) this.queue = [];
    return true;
  }

  private setMyCommands(p: Params): true {
    const commands = p.commands;
    if (!Array.isArray(commands)) throw bad('field "commands" must be an Array');
    for (const c of commands as Array<{ command?: unknown; description?: unknown }>) {
      if (typeof c.command !== "string" || !/^[a-z0-9_]{1,32}$/.test(c.command)) {
        throw bad("BOT_COMMAND_INVALID");
      }
      if (
        typeof c.description !== "string" ||
        c.description.length < 1 ||
        c.description.length > 256
      ) {
        throw bad("BOT_COMMAND_DESCRIPTION_INVALID");
      }
    }
    this.commands.set(commandsKey(p), commands);
    return true;
  }

  // ---- sending ----------------------------------------------------------------------------

  /** A private chat the user never opened takes no message from a bot. */
  private writableChat(p: Params): ChatState {
    const chatId = requireChatId(p);
    if (this.blockedBy.has(chatId)) throw new ApiError(403, BLOCKED);
    if (chatId > 0 && !this.startedBy.has(chatId)) throw new ApiError(403, CANNOT_INITIATE);
    return this.chatState(chatId);
  }

  private sendMessage(p: Params): unknown {
    const state = this.writableChat(p);
    const raw = typeof p.text === "string" ? p.text : "";
    const text = formatOrThrow(raw, p.parse_mode);
    if (!text.trim()) throw bad("message text is empty");
    if (text.length > 4096) throw bad("message is too long");
    const markup = parseMarkup(p.reply_markup, false);
    const entry = this.addBotMessage(state, {
      version: { kind: "text", text, replyMarkup: markup, at: Date.now() },
      parseMode: optionalString(p.parse_mode),
      contentKey: contentKey("text", raw, p.parse_mode),
      replyTo: this.replyTarget(state, p),
    });
    return this.apiMessage(state, entry);
  }

  private sendPhoto(p: Params, files: Record<string, Buffer>): unknown {
    const state = this.writableChat(p);
    const photo = this.resolvePhoto(p.photo, files, "photo");
    const rawCaption = optionalString(p.caption);
    const caption = this.caption(rawCaption, p.parse_mode);
    const markup = parseMarkup(p.reply_markup, false);
    const entry = this.addBotMessage(state, {
      version: { kind: "photo", ...photo.fields, caption, replyMarkup: markup, at: Date.now() },
      parseMode: optionalString(p.parse_mode),
      contentKey: contentKey("photo", photo.key, rawCaption, p.parse_mode),
      photoSizes: photo.sizes,
      replyTo: this.replyTarget(state, p),
    });
    return this.apiMessage(state, entry);
  }

  /** An uploaded document (REAL-API.md: multipart, up to 50 MB, a caption of up to 1024). */
  private sendDocument(p: Params, files: Record<string, Buffer>): unknown {
    const state = this.writableChat(p);
    const value = p.document;
    const bytes =
      files.document ??
      (typeof value === "string" && value.startsWith("attach://")
        ? files[value.slice("attach://".length)]
        : undefined);
    if (!bytes) throw bad("there is no document in the request");
    if (bytes.length === 0) throw bad("file must be non-empty");
    if (bytes.length > MAX_DOCUMENT_BYTES) throw new ApiError(413, "Request Entity Too Large");
    const rawCaption = optionalString(p.caption);
    const caption = this.caption(rawCaption, p.parse_mode);
    const entry = this.addBotMessage(state, {
      version: { kind: "document", document: bytes, caption, at: Date.now() },
      parseMode: optionalString(p.parse_mode),
      contentKey: contentKey("document", sha256(bytes), rawCaption, p.parse_mode),
      replyTo: this.replyTarget(state, p),
    });
    return this.apiMessage(state, entry);
  }

  private addBotMessage(
    state: ChatState,
    m: {
      version: MessageVersion;
      parseMode: string | undefined;
      contentKey: string;
      photoSizes?: PhotoSize[];
      replyTo: Entry | undefined;
    },
  ): Entry {
    const messageId = state.nextMessageId++;
    const stored = newStored(state.chat.id, messageId, m.version);
    if (m.parseMode !== undefined) stored.parseMode = m.parseMode;
    const entry: Entry = {
      fromBot: true,
      stored,
      from: this.botUser,
      date: unixNow(),
      contentKey: m.contentKey,
      markupKey: stableJson(m.version.replyMarkup),
      photoSizes: m.photoSizes,
      replyTo: m.replyTo,
    };
    state.messages.set(messageId, entry);
    return entry;
  }

  private replyTarget(state: ChatState, p: Params): Entry | undefined {
    const params = p.reply_parameters as
      { message_id?: unknown; allow_sending_without_reply?: unknown } | undefined;
    const id = int(params?.message_id) ?? int(p.reply_to_message_id);
    if (id === undefined) return undefined;
    const target = state.messages.get(id);
    if (target && !target.stored.deleted) return target;
    if (params?.allow_sending_without_reply === true || p.allow_sending_without_reply === true)
      return undefined;
    throw bad("message to be replied not found");
  }

  // ---- editing ----------------------------------------------------------------------------

  private editMessageText(p: Params): unknown {
    const { state, entry } = this.editTarget(p);
    const raw = typeof p.text === "string" ? p.text : "";
    const text = formatOrThrow(raw, p.parse_mode);
    if (!text.trim()) throw bad("message text is empty");
    if (text.length > 4096) throw bad("message is too long");
    if (entry.stored.kind !== "text") throw bad("there is no text in the message to edit");
    const markup = parseMarkup(p.reply_markup, true);
    this.applyEdit(entry, {
      version: { kind: "text", text, replyMarkup: markup, at: Date.now() },
      parseMode: optionalString(p.parse_mode),
      contentKey: contentKey("text", raw, p.parse_mode),
    });
    return this.apiMessage(state, entry);
  }

  private editMessageCaption(p: Params): unknown {
    const { state, entry } = this.editTarget(p);
    const rawCaption = optionalString(p.caption);
    const caption = this.caption(rawCaption, p.parse_mode);
    if (entry.stored.kind !== "photo") throw bad("there is no caption in the message to edit");
    const markup = parseMarkup(p.reply_markup, true);
    const photoKey = entry.contentKey.split("\u0000")[1] ?? "";
    this.applyEdit(entry, {
      version: { ...currentPhoto(entry.stored), caption, replyMarkup: markup, at: Date.now() },
      parseMode: optionalString(p.parse_mode),
      contentKey: contentKey("photo", photoKey, rawCaption, p.parse_mode),
    });
    return this.apiMessage(state, entry);
  }

  private editMessageMedia(p: Params, files: Record<string, Buffer>): unknown {
    const { state, entry } = this.editTarget(p);
    const media = p.media as
      { type?: unknown; media?: unknown; caption?: unknown; parse_mode?: unknown } | undefined;
    if (!media || typeof media !== "object") throw bad("media not specified");
    if (media.type !== "photo")
      throw bad(`fake supports only photo media, got ${String(media.type)}`);
    const photo = this.resolvePhoto(media.media, files, undefined);
    const rawCaption = optionalString(media.caption);
    const caption = this.caption(rawCaption, media.parse_mode);
    if (entry.stored.kind !== "photo") throw bad("there is no media in the message to edit");
    const markup = parseMarkup(p.reply_markup, true);
    this.applyEdit(entry, {
      version: { kind: "photo", ...photo.fields, caption, replyMarkup: markup, at: Date.now() },
      parseMode: optionalString(media.parse_mode),
      contentKey: contentKey("photo", photo.key, rawCaption, media.parse_mode),
      photoSizes: photo.sizes,
    });
    return this.apiMessage(state, entry);
  }

  private editMessageReplyMarkup(p: Params): unknown {
    const { state, entry } = this.editTarget(p);
    const markup = parseMarkup(p.reply_markup, true);
    const {
      history: _h,
      editCount: _e,
      deleted: _d,
      chatId: _c,
      messageId: _m,
      parseMode,
      ...now
    } = entry.stored;
    this.applyEdit(entry, {
      version: { ...now, replyMarkup: markup, at: Date.now() },
      parseMode,
      contentKey: entry.contentKey,
    });
    return this.apiMessage(state, entry);
  }

  private editTarget(p: Params): { state: ChatState; entry: Entry } {
    if (p.inline_message_id !== undefined) throw bad("fake does not support inline_message_id");
    const chatId = requireChatId(p);
    const messageId = int(p.message_id);
    if (messageId === undefined) throw bad("message identifier is not specified");
    if (this.blockedBy.has(chatId)) throw new ApiError(403, BLOCKED);
    if (this.invalidMessages.has(`${chatId}/${messageId}`)) throw bad(MESSAGE_ID_INVALID);
    const state = this.chats.get(chatId);
    const entry = state?.messages.get(messageId);
    if (!state || !entry || entry.stored.deleted) throw bad("message to edit not found");
    if (!entry.fromBot) throw bad("message can't be edited");
    return { state, entry };
  }

  /** Replaces the message's content, or fails like Telegram when nothing would change. */
  private applyEdit(
    entry: Entry,
    next: {
      version: MessageVersion;
      parseMode: string | undefined;
      contentKey: string;
      photoSizes?: PhotoSize[];
    },
  ): void {
    const markupKey = stableJson(next.version.replyMarkup);
    if (next.contentKey === entry.contentKey && markupKey === entry.markupKey)
      throw bad(NOT_MODIFIED);
    const stored = entry.stored;
    for (const key of [
      "text",
      "caption",
      "photo",
      "photoUrl",
      "replyMarkup",
      "parseMode",
    ] as const) {
      delete stored[key];
    }
    const { at: _at, ...fields } = next.version;
    Object.assign(stored, fields);
    if (next.parseMode !== undefined) stored.parseMode = next.parseMode;
    stored.history.push(next.version);
    stored.editCount += 1;
    entry.contentKey = next.contentKey;
    entry.markupKey = markupKey;
    if (next.photoSizes) entry.photoSizes = next.photoSizes;
    entry.editDate = unixNow();
  }

  private deleteMessage(p: Params): true {
    const chatId = requireChatId(p);
    const messageId = int(p.message_id);
    if (messageId === undefined) throw bad("message identifier is not specified");
    const entry = this.chats.get(chatId)?.messages.get(messageId);
    if (!entry || entry.stored.deleted) throw bad("message to delete not found");
    if (!entry.fromBot && chatId < 0 && !this.adminIn.has(chatId)) throw bad(CANNOT_DELETE);
    entry.stored.deleted = true;
    return true;
  }

  private answerCallbackQuery(p: Params): true {
    const query = this.callbackQueries.get(String(p.callback_query_id ?? ""));
    if (!query || query.answered) throw bad(QUERY_TOO_OLD);
    if (Date.now() - query.pressedAt > this.callbackQueryTtlMs) throw bad(QUERY_TOO_OLD);
    if (typeof p.text === "string" && p.text.length > 200) throw bad("MESSAGE_TOO_LONG");
    query.answered = true;
    return true;
  }

  // ---- helpers ----------------------------------------------------------------------------

  private caption(raw: string | undefined, parseMode: unknown): string | undefined {
    if (raw === undefined) return undefined;
    const caption = formatOrThrow(raw, parseMode);
    if (caption.length > 1024) throw bad("message caption is too long");
    return caption || undefined;
  }

  /** An uploaded file (field name or attach://), a file_id this fake issued, or an http(s) URL. */
  private resolvePhoto(
    value: unknown,
    files: Record<string, Buffer>,
    field: string | undefined,
  ): { fields: { photo?: Buffer; photoUrl?: string }; key: string; sizes: PhotoSize[] } {
    let bytes = field !== undefined ? files[field] : undefined;
    if (!bytes && typeof value === "string" && value.startsWith("attach://")) {
      bytes = files[value.slice("attach://".length)];
      if (!bytes) throw bad(`can't find attached file "${value}" in the request`);
    }
    if (!bytes && typeof value === "string") bytes = this.fileIds.get(value);
    if (!bytes && typeof value === "string" && /^https?:\/\//.test(value)) {
      const url = value;
      const size = { width: 320, height: 320, file_size: 0 };
      const id = `url-${sha256(Buffer.from(url)).slice(0, 24)}`;
      return {
        fields: { photoUrl: url },
        key: `url:${url}`,
        sizes: [{ file_id: id, file_unique_id: id, ...size }],
      };
    }
    if (!bytes) {
      if (value === undefined || value === "") throw bad("there is no photo in the request");
      throw bad("wrong file identifier/HTTP URL specified");
    }
    if (bytes.length === 0) throw bad("file must be non-empty");
    if (bytes.length > MAX_PHOTO_BYTES) throw bad("file is too big");
    const dims = imageSize(bytes);
    if (!dims) throw bad("IMAGE_PROCESS_FAILED");
    if (dims.width + dims.height > 10_000) throw bad("PHOTO_INVALID_DIMENSIONS");
    return { fields: { photo: bytes }, key: sha256(bytes), sizes: this.photoSizes(bytes, dims) };
  }

  /** Telegram answers with several sizes, largest last; every file_id maps back to the bytes. */
  private photoSizes(bytes: Buffer, dims: { width: number; height: number }): PhotoSize[] {
    const hash = sha256(bytes);
    const longest = Math.max(dims.width, dims.height);
    const sizes: PhotoSize[] = [];
    for (const [suffix, side] of [
      ["s", 90],
      ["m", 320],
      ["x", 800],
      ["y", 1280],
    ] as const) {
      if (side >= longest) break;
      const scale = side / longest;
      sizes.push({
        file_id: `AgACAgIAAxkBAAI${hash.slice(0, 24)}${suffix}`,
        file_unique_id: `AQAD${hash.slice(0, 12)}${suffix}`,
        width: Math.round(dims.width * scale),
        height: Math.round(dims.height * scale),
        file_size: Math.round(bytes.length * scale * scale),
      });
    }
    sizes.push({
      file_id: `AgACAgIAAxkBAAI${hash.slice(0, 24)}w`,
      file_unique_id: `AQAD${hash.slice(0, 12)}w`,
      width: dims.width,
      height: dims.height,
      file_size: bytes.length,
    });
    for (const size of sizes) this.fileIds.set(size.file_id, bytes);
    return sizes;
  }

  private chatState(chatId: number, type?: string, firstName?: string): ChatState {
    let state = this.chats.get(chatId);
    if (!state) {
      const chatType =
        type ?? (chatId > 0 ? "private" : chatId <= -1_000_000_000_000 ? "supergroup" : "group");
      const chat: Chat =
        chatType === "private"
          ? { id: chatId, type: chatType, first_name: firstName ?? "Tester" }
          : { id: chatId, type: chatType, title: "Test group" };
      state = { chat, nextMessageId: 1, messages: new Map() };
      this.chats.set(chatId, state);
    }
    return state;
  }

  private rememberUser(id: number, firstName?: string, languageCode?: string): User {
    const user: User = { ...(this.users.get(id) ?? { id, is_bot: false, first_name: "Tester" }) };
    if (firstName !== undefined) user.first_name = firstName;
    if (languageCode !== undefined) user.language_code = languageCode;
    this.users.set(id, user);
    return user;
  }

  /** The Message object Telegram would return / put into an update. */
  private apiMessage(state: ChatState, entry: Entry, nested = false): Record<string, unknown> {
    const s = entry.stored;
    const message: Record<string, unknown> = {
      message_id: s.messageId,
      from: entry.from,
      chat: state.chat,
      date: entry.date,
    };
    if (entry.editDate !== undefined) message.edit_date = entry.editDate;
    if (entry.replyTo && !nested)
      message.reply_to_message = this.apiMessage(state, entry.replyTo, true);
    if (s.kind === "text") message.text = s.text;
    else if (s.kind === "document") {
      const id = `doc-${sha256(s.document ?? Buffer.alloc(0)).slice(0, 24)}`;
      message.document = { file_id: id, file_unique_id: id, file_size: s.document?.length ?? 0 };
    } else message.photo = entry.photoSizes ?? [];
    if (s.caption !== undefined) message.caption = s.caption;
    if (entry.entities) message.entities = entry.entities;
    // Only inline keyboards are echoed back in Message objects.
    const markup = s.replyMarkup as { inline_keyboard?: unknown } | undefined;
    if (markup?.inline_keyboard) message.reply_markup = markup;
    return message;
  }
}

// ---- flood control --------------------------------------------------------------------------

/** Which of Telegram's limits a 429 enforced: the bot's 30/s, a chat's 1/s, a group's 20/min. */
export type FloodLimit = "bot" | "chat" | "group";

/** Approximates Telegram's limits: ~1 msg/s per chat (burst 3), 20/min per group, 30/s overall. */
class FloodControl {
  private static readonly BURST = 3;
  private readonly perChat = new Map<number, { tokens: number; at: number }>();
  private readonly perGroup = new Map<number, number[]>();
  private global: number[] = [];

  /**
   * Seconds to wait if this send breaks a limit (nothing is consumed then), and the limit that
   * takes longest to clear; 0 = allowed.
   */
  take(chatId: number | undefined, now: number): { retryAfter: number; limit?: FloodLimit } {
    this.global = this.global.filter((t) => now - t < 1000);
    let waitMs = 0;
    let limit: FloodLimit | undefined;
    const over = (ms: number, which: FloodLimit) => {
      if (ms > waitMs) [waitMs, limit] = [ms, which];
    };
    const oldestGlobal = this.global[0];
    if (this.global.length >= 30 && oldestGlobal !== undefined)
      over(1000 - (now - oldestGlobal), "bot");
    let bucket: { tokens: number; at: number } | undefined;
    let group: number[] | undefined;
    if (chatId !== undefined) {
      const prev = this.perChat.get(chatId) ?? { tokens: FloodControl.BURST, at: now };
      bucket = {
        tokens: Math.min(FloodControl.BURST, prev.tokens + (now - prev.at) / 1000),
        at: now,
      };
      this.perChat.set(chatId, bucket);
      if (bucket.tokens < 1) over((1 - bucket.tokens) * 1000, "chat");
      if (chatId < 0) {
        group = (this.perGroup.get(chatId) ?? []).filter((t) => now - t < 60_000);
        this.perGroup.set(chatId, group);
        const oldest = group[0];
        if (group.length >= 20 && oldest !== undefined) over(60_000 - (now - oldest), "group");
      }
    }
    if (waitMs > 0) return { retryAfter: Math.max(1, Math.ceil(waitMs / 1000)), limit };
    this.global.push(now);
    if (bucket) bucket.tokens -= 1;
    group?.push(now);
    return { retryAfter: 0 };
  }
}

// ---- pure helpers ---------------------------------------------------------------------------

async function readParams(
  req: IncomingMessage,
  url: URL,
): Promise<{ params: Params; files: Record<string, Buffer> }> {
  const params: Params = Object.fromEntries(url.searchParams);
  let files: Record<string, Buffer> = {};
  const body =
    req.method === "GET" || req.method === "HEAD" ? Buffer.alloc(0) : await readBody(req);
  const type = req.headers["content-type"] ?? "";
  if (body.length > 0) {
    if (/multipart\/form-data/i.test(type)) {
      const parts = parseMultipart(body, type);
      Object.assign(params, parts.fields);
      files = parts.files;
    } else if (/application\/x-www-form-urlencoded/i.test(type)) {
      Object.assign(params, Object.fromEntries(new URLSearchParams(body.toString("utf8"))));
    } else {
      let json: unknown;
      try {
        json = JSON.parse(body.toString("utf8"));
      } catch {
        throw bad("can't parse JSON object");
      }
      if (json && typeof json === "object" && !Array.isArray(json)) Object.assign(params, json);
    }
  }
  for (const [key, value] of Object.entries(params)) {
    if (typeof value === "string") params[key] = coerce(key, value);
  }
  return { params, files };
}

/** Reads string-typed fields the way Telegram does: JSON objects, integers, booleans. */
function coerce(key: string, value: string): unknown {
  if (JSON_FIELDS.has(key)) {
    try {
      return JSON.parse(value);
    } catch {
      if (key === "media" && !value.trim().startsWith("{")) return value;
      throw bad(
        key === "reply_markup"
          ? "can't parse reply keyboard markup JSON object"
          : `can't parse ${key} JSON object`,
      );
    }
  }
  if (INT_FIELDS.has(key) && /^-?\d+$/.test(value)) return Number(value);
  if (BOOL_FIELDS.has(key) && (value === "true" || value === "false")) return value === "true";
  return value;
}

function int(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isInteger(value)) return value;
  if (typeof value === "string" && /^-?\d+$/.test(value)) return Number(value);
  return undefined;
}

function requireChatId(p: Params): number {
  if (p.chat_id === undefined || p.chat_id === "") throw bad("chat_id is empty");
  const id = int(p.chat_id);
  // "@channelusername" and other strings: the fake knows no public chats.
  if (id === undefined || id === 0) throw bad("chat not found");
  return id;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function formatOrThrow(text: string, parseMode: unknown): string {
  try {
    return plainText(text, parseMode);
  } catch (error) {
    if (error instanceof MarkupError) throw bad(`can't parse entities: ${error.message}`);
    if (error instanceof UnsupportedParseMode) throw bad("unsupported parse_mode");
    throw error;
  }
}

/** Validates reply_markup like Telegram; returns undefined for "no keyboard". */
function parseMarkup(raw: unknown, inlineOnly: boolean): unknown {
  if (raw === undefined || raw === null || raw === "") return undefined;
  if (typeof raw !== "object") throw bad("can't parse reply keyboard markup JSON object");
  const markup = raw as { inline_keyboard?: unknown };
  if (markup.inline_keyboard === undefined) {
    if (inlineOnly) throw bad("inline keyboard expected");
    return structuredClone(raw);
  }
  const rows = markup.inline_keyboard;
  if (!Array.isArray(rows) || rows.some((row) => !Array.isArray(row))) {
    throw bad('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays');
  }
  for (const button of rows.flat() as Array<Record<string, unknown>>) {
    if (typeof button?.text !== "string") {
      throw bad('can\'t parse inline keyboard button: Field "text" must be of type String');
    }
    const actions = Object.keys(button).filter((k) => k !== "text");
    if (actions.length === 0) {
      throw bad(
        "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
      );
    }
    if ("callback_data" in button) {
      const size =
        typeof button.callback_data === "string" ? Buffer.byteLength(button.callback_data) : 0;
      if (size < 1 || size > 64) throw bad("BUTTON_DATA_INVALID");
    }
  }
  if (rows.flat().length === 0) return undefined;
  return structuredClone(raw);
}

function buttonData(markup: unknown): string[] {
  const rows = (
    markup as { inline_keyboard?: Array<Array<{ callback_data?: string }>> } | undefined
  )?.inline_keyboard;
  return (rows ?? [])
    .flat()
    .flatMap((b) => (b.callback_data === undefined ? [] : [b.callback_data]));
}

function newStored(chatId: number, messageId: number, version: MessageVersion): StoredMessage {
  const { at: _at, ...fields } = version;
  return { chatId, messageId, ...fields, editCount: 0, deleted: false, history: [version] };
}

function currentPhoto(s: StoredMessage): MessageVersion {
  const v: MessageVersion = { kind: "photo", at: Date.now() };
  if (s.photo) v.photo = s.photo;
  if (s.photoUrl) v.photoUrl = s.photoUrl;
  return v;
}

function contentKey(...parts: unknown[]): string {
  return parts.map((p) => (p === undefined || p === null ? "" : String(p))).join("\u0000");
}

/** JSON with sorted keys: two equal keyboards compare equal whatever their key order. */
function stableJson(value: unknown): string {
  return JSON.stringify(value ?? null, (_key, v) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

function commandsKey(p: Params): string {
  const scope = (p.scope as object | undefined) ?? { type: "default" };
  return stableJson([scope, typeof p.language_code === "string" ? p.language_code : ""]);
}

function sha256(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("hex");
}

function unixNow(): number {
  return Math.floor(Date.now() / 1000);
}

/** Width and height from PNG, JPEG, GIF or WebP headers; undefined if not an image. */
function imageSize(b: Buffer): { width: number; height: number } | undefined {
  if (b.length >= 24 && b.readUInt32BE(0) === 0x89504e47) {
    return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
  }
  if (b.length >= 10 && b.toString("latin1", 0, 4) === "GIF8") {
    return { width: b.readUInt16LE(6), height: b.readUInt16LE(8) };
  }
  if (
    b.length >= 16 &&
    b.toString("latin1", 0, 4) === "RIFF" &&
    b.toString("latin1", 8, 12) === "WEBP"
  ) {
    return { width: 512, height: 512 }; // good enough: the fake never looks inside WebP
  }
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) {
    let i = 2;
    while (i + 9 < b.length) {
      if (b[i] !== 0xff) return undefined;
      const marker = b[i + 1] ?? 0;
      // SOF0..SOF15 carry the size, except DHT (C4), JPG (C8) and DAC (CC).
      if (
        marker >= 0xc0 &&
        marker <= 0xcf &&
        marker !== 0xc4 &&
        marker !== 0xc8 &&
        marker !== 0xcc
      ) {
        return { width: b.readUInt16BE(i + 7), height: b.readUInt16BE(i + 5) };
      }
      i += 2 + b.readUInt16BE(i + 2);
    }
  }
  return undefined;
}
