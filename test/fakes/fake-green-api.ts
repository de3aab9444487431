// A scriptable fake of GREEN-API's account methods for tests: instances with a state, a QR code
// (a real, decodable PNG) whose payload rotates, pairing codes, state history and notifications.
// Every call is recorded; any call can be scripted (status, body, invalid JSON, delay, hang).
// The `scanqrcode` WebSocket pushes the same rotating QR, the login, and a timeout.
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { performance } from "node:perf_hooks";
import type { Duplex } from "node:stream";
import { clearTimeout, setTimeout } from "node:timers";
import QRCode from "qrcode";
import { type WebSocket, WebSocketServer } from "ws";
import { CallWaiters, closeServer, describeTimeout, listen, readBody, send } from "./http.js";
import {
  defaultSettings,
  type FakeSettings,
  getSettingsAnswer,
  readSettingsPatch,
  switchOf,
} from "./fake-instance-settings.js";
import { WebhookDelivery, type WebhookTarget } from "./webhook-delivery.js";

export type StateInstance =
  | "notAuthorized"
  | "authorized"
  | "blocked"
  | "sleepMode"
  | "starting"
  | "yellowCard"
  | "suspended"
  /** Any other value: GREEN-API adds states now and then (tests script undocumented ones). */
  | (string & {});

export interface GreenApiCall {
  idInstance: string;
  method: string;
  httpMethod: string;
  token: string;
  /** Parsed JSON body; the raw text if it was not JSON; undefined if empty. */
  body: unknown;
  query: Record<string, string>;
  /** Path segment after the token, e.g. deleteNotification's receiptId. */
  extra?: string;
  at: number;
  /** HTTP status answered; 0 while pending (or hanging), 499 if the client gave up first. */
  status: number;
  /** The caller's TCP port: one connection of one process. */
  remotePort?: number;
  /** Who called, as `identifyCaller` named it when the request arrived (e.g. a process id). */
  caller?: string;
  /** The address it came to: `apiUrl`, or one from `alsoListen()`. */
  apiUrl?: string;
}

export interface ScriptedResponse {
  status?: number;
  json?: unknown;
  raw?: string;
  delayMs?: number;
  hang?: boolean;
}

export interface FakeInstance {
  readonly idInstance: string;
  readonly apiTokenInstance: string;
  state: StateInstance;
  phone: string;
  needsLogout: boolean;
  /**
   * The instance's plan is used up: every method answers 466 with the documented body
   * (green-api.com/en/docs/api/466-error-example-body; REAL-API.md).
   */
  quotaExceeded: boolean;
  qrRotateMs: number;
  currentQrPayload(): string;
  servedPayloads(): string[];
  rotateQr(): string;
  authorize(phone?: string): void;
  logout(): void;
  /** Pairing codes handed out by getAuthorizationCode, oldest first. */
  authorizationCodes(): string[];
  /**
   * Messages waiting to be sent (showMessagesQueue), as GREEN-API lists them: `messageID`, `type`,
   * `body` (green-api.com/en/docs/api/queues/ShowMessagesQueue). `queueMessage` adds one.
   */
  readonly messagesQueue: Array<{ messageID: string; type: string; body: Record<string, unknown> }>;
  /** Queues a message; its id as GREEN-API hands them out ("BAE5…") unless given. */
  queueMessage(text: string, at?: number, id?: string): void;
  /** GREEN-API sends the first `count` queued messages (all by default): they leave the queue. */
  sendQueued(count?: number): void;
  /** The state a `reboot` leaves the instance in (GREEN-API: starting, then usually authorized). */
  afterReboot: StateInstance | undefined;
  /** Every QR payload this instance had and when it became current, oldest first. */
  rotationHistory(): ReadonlyArray<{ payload: string; at: number }>;
  /**
   * Its settings as getSettings answers them (saved by setSettings at once; a test may set them
   * as the customer's application left them). Notifications follow them only once a setSettings
   * was applied (`settingsApplied`); before that, the fake's `setWebhook` target gets them.
   */
  settings: FakeSettings;
  /** Settings a setSettings applied (after its reboot and `settingsApplyMs`), oldest first. */
  readonly settingsApplied: FakeSettings[];
}

export interface AddInstanceOptions {
  idInstance: string | number;
  apiTokenInstance: string;
  state?: StateInstance;
  qrRotateMs?: number;
  phone?: string;
  needsLogout?: boolean;
  /**
   * Rotate on a timer, as the real service does, instead of lazily when asked. Open scanqrcode
   * sockets turn the timer on by themselves (they need a push on each rotation).
   */
  rotateOnTimer?: boolean;
  /** The first rotation comes after this long instead of `qrRotateMs` (spreads many instances). */
  qrPhaseMs?: number;
}

export interface FakeGreenApiOptions {
  /** GREEN-API's documented per-instance limits: qr 3/s; getStateInstance, logout, reboot, getWaSettings, showMessagesQueue 1/s. */
  enforceRateLimits?: boolean;
  /** scanqrcode sends `{type: "timeout"}` and closes after this long (GREEN-API: 100 s). */
  scanTimeoutMs?: number;
  /** setSettings' new settings apply this long after its reboot (GREEN-API: within 5 min). */
  settingsApplyMs?: number;
}

/** What an instance tells its scanqrcode sockets. */
type InstanceEvent = { kind: "rotated"; payload: string } | { kind: "state" };

// Documented HTTP verb(s) per method; anything else gets 405.
const METHODS: Record<string, string[]> = {
  qr: ["GET"],
  getStateInstance: ["GET"],
  getWaSettings: ["GET"],
  logout: ["GET"],
  reboot: ["GET"],
  getAuthorizationCode: ["POST"],
  showMessagesQueue: ["GET"],
  getSettings: ["GET"],
  setSettings: ["POST"],
  getStateInstanceHistory: ["GET", "POST"],
  receiveNotification: ["GET"],
  deleteNotification: ["DELETE"],
};
const METHOD_NAMES = new Map(Object.keys(METHODS).map((name) => [name.toLowerCase(), name]));

/** green-api.com/en/docs/api/ratelimiter (REAL-API.md), for the methods greenlight calls. */
const RATE_LIMITS: Record<string, number> = {
  qr: 3,
  scanqrcode: 1,
  getStateInstance: 1,
  logout: 1,
  reboot: 1,
  // green-api.com/en/docs/api/ratelimiter
  getSettings: 1,
  setSettings: 1,
  getWaSettings: 1,
  showMessagesQueue: 1,
};

type Answer = { status: number; body: string };

/** GREEN-API's documented 466 body for a method over the plan's monthly quota. */
export const QUOTA_EXCEEDED_BODY = {
  invokeStatus: {
    method: "qr",
    used: 100,
    total: 100,
    status: "QUOTE_EXCEEDED",
    description:
      "Monthly quota has been exceeded. Please go to your personal account and change the tariff to business https://console.green-api.com",
  },
};

class Instance implements FakeInstance {
  readonly messagesQueue: FakeInstance["messagesQueue"] = [];
  settings: FakeSettings = defaultSettings();
  readonly settingsApplied: FakeSettings[] = [];
  /** The pending setSettings' apply (one at a time: a newer call restarts it). */
  settingsTimer: NodeJS.Timeout | undefined;
  afterReboot: StateInstance | undefined = undefined;
  phone: string;
  needsLogout: boolean;
  quotaExceeded = false;
  qrRotateMs: number;
  readonly history: Array<{
    stateInstance: StateInstance;
    timestamp: number;
    phoneNumber: string;
  }> = [];
  readonly notifications: Array<{ receiptId: number; body: unknown }> = [];
  private _state: StateInstance;
  private qr: { payload: string; since: number };
  private readonly served: string[] = [];
  private readonly codes: string[] = [];
  private readonly qrHistory: Array<{ payload: string; at: number }> = [];
  private readonly listeners = new Set<(event: InstanceEvent) => void>();
  private readonly rotateOnTimer: boolean;
  private timer: NodeJS.Timeout | undefined;
  private rotations = 0;

  constructor(
    readonly idInstance: string,
    readonly apiTokenInstance: string,
    opts: AddInstanceOptions,
    private readonly onNotification: (body: unknown) => void,
    private readonly nextReceiptId: () => number,
  ) {
    this._state = opts.state ?? "notAuthorized";
    this.phone = opts.phone ?? "79001234567";
    this.needsLogout = opts.needsLogout ?? false;
    this.qrRotateMs = opts.qrRotateMs ?? 20_000;
    this.rotateOnTimer = opts.rotateOnTimer ?? false;
    // A phase shorter than the period backdates the current QR so that it rotates sooner.
    const phase = Math.min(opts.qrPhaseMs ?? this.qrRotateMs, this.qrRotateMs);
    this.qr = {
      payload: this.newPayload(),
      since: Date.now() - (this.qrRotateMs - phase),
    };
    this.qrHistory.push({ payload: this.qr.payload, at: Date.now() });
    this.recordHistory();
    this.schedule();
  }

  get state(): StateInstance {
    return this._state;
  }

  /** Assigning a new state records it in the history and queues a stateInstanceChanged notification. */
  set state(next: StateInstance) {
    if (next === this._state) return;
    this._state = next;
    this.recordHistory();
    this.emit({ kind: "state" });
    this.notify({
      typeWebhook: "stateInstanceChanged",
      instanceData: {
        idInstance: Number(this.idInstance),
        wid: `${this.phone}@c.us`,
        typeInstance: "whatsapp",
      },
      timestamp: unixNow(),
      stateInstance: next,
    });
  }

  /** Rotation is lazy (checked on use), so it follows Date.now() — including vi's fake clock. */
  currentQrPayload(): string {
    if (Date.now() - this.qr.since >= this.qrRotateMs) this.rotateQr();
    return this.qr.payload;
  }

  servedPayloads(): string[] {
    return [...this.served];
  }

  rotateQr(): string {
    this.qr = { payload: this.newPayload(), since: Date.now() };
    this.qrHistory.push({ payload: this.qr.payload, at: this.qr.since });
    this.schedule();
    this.emit({ kind: "rotated", payload: this.qr.payload });
    return this.qr.payload;
  }

  rotationHistory(): ReadonlyArray<{ payload: string; at: number }> {
    return this.qrHistory;
  }

  /** Subscribes a socket; returns the unsubscribe function. */
  listen(listener: (event: InstanceEvent) => void): () => void {
    this.listeners.add(listener);
    this.schedule();
    return () => {
      this.listeners.delete(listener);
      this.schedule();
    };
  }

  stopTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.settingsTimer) clearTimeout(this.settingsTimer);
    this.settingsTimer = undefined;
  }

  private emit(event: InstanceEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }

  /** (Re)arms the rotation timer when rotations must happen on their own: see rotateOnTimer. */
  private schedule(): void {
    this.stopTimer();
    if (!this.rotateOnTimer && this.listeners.size === 0) return;
    const due = Math.max(0, this.qr.since + this.qrRotateMs - Date.now());
    this.timer = setTimeout(() => this.rotateQr(), due);
  }

  authorize(phone?: string): void {
    if (phone !== undefined) this.phone = phone;
    this.needsLogout = false;
    this.state = "authorized";
  }

  logout(): void {
    this.needsLogout = false;
    this.state = "notAuthorized";
    // The real service would start a new session with a new QR; the fake keeps the current one
    // (tests compute the expected payload up front). Call rotateQr() to model the new session.
  }

  authorizationCodes(): string[] {
    return [...this.codes];
  }

  /**
   * WhatsApp message ids as GREEN-API hands them out (sendMessage's idMessage: "BAE5…"), unless
   * given. `at` is kept for callers that date the message; the fake's queue shows no time.
   */
  queueMessage(text: string, _at = Date.now(), id?: string): void {
    this.messagesQueue.push({
      messageID: id ?? `BAE5${randomBytes(6).toString("hex").toUpperCase()}`,
      type: "sendMessage",
      body: { chatId: "79990000000@c.us", message: text },
    });
  }

  sendQueued(count = this.messagesQueue.length): void {
    this.messagesQueue.splice(0, count);
  }

  /** Called when the qr endpoint hands out a payload. */
  markServed(payload: string): void {
    if (this.served.at(-1) !== payload) this.served.push(payload);
  }

  newCode(): string {
    const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    const code = [...randomBytes(8)].map((b) => alphabet[b % alphabet.length]).join("");
    this.codes.push(code);
    return code;
  }

  notify(body: unknown): void {
    this.notifications.push({ receiptId: this.nextReceiptId(), body });
    this.onNotification(body);
  }

  private newPayload(): string {
    this.rotations += 1;
    return `2@fake-${this.idInstance}-${this.rotations}-${randomBytes(9).toString("base64url")}`;
  }

  private recordHistory(): void {
    this.history.push({
      stateInstance: this._state,
      timestamp: unixNow(),
      phoneNumber: `${this.phone}@c.us`,
    });
  }
}

/** One entry of getInstances, as green-api.com/en/docs/partners/getInstances shows it. */
export interface PartnerInstance {
  /** Not a documented field of getInstances; set only by tests of that case. */
  apiUrl?: string;
  idInstance: number;
  name: string;
  typeInstance: string;
  typeAccount: string;
  partnerUserUiid: string;
  timeCreated: string;
  timeDeleted: string;
  apiTokenInstance: string;
  deleted: boolean;
  tariff: string;
  isFree: boolean;
  isPartner: boolean;
  expirationDate: string;
  isExpired: boolean;
}

export class FakeGreenApi {
  readonly apiUrl: string;
  readonly calls: GreenApiCall[] = [];

  private readonly instances = new Map<string, Instance>();
  private readonly scripts = new Map<string, ScriptedResponse[]>();
  private readonly qrPngs = new Map<string, Promise<string>>();
  private readonly waiters = new CallWaiters<GreenApiCall>();
  private readonly rateWindows = new Map<string, number[]>();
  /** Requests not answered yet (delays, hangs, long polls): ended by close(). */
  private readonly open = new Set<{
    res: ServerResponse;
    release: () => void;
  }>();
  private readonly notificationWaiters = new Set<() => void>();
  private readonly sockets = new Map<WebSocket, string>();
  private readonly silenced = new Set<string>();
  private readonly wss = new WebSocketServer({ noServer: true });
  /** scanqrcode's scan window: `{type: "timeout"}` and a close after this long (GREEN-API: 100 s). */
  scanTimeoutMs: number;
  /** setSettings' settings apply this long after its reboot (GREEN-API: within 5 minutes). */
  settingsApplyMs: number;
  /** GREEN-API's per-instance, per-method limits (429 above them); may be switched at any time. */
  enforceRateLimits: boolean;
  private receiptId = 1;
  /** Webhook delivery to a URL (setWebhook), as GREEN-API does it, retries included. */
  readonly webhooks = new WebhookDelivery();
  private closed = false;
  private scriptedRaw: string | undefined;
  /**
   * Names the caller of each request from its TCP port, while the connection is open (a test maps
   * it to a process: test/kit/socket-owner.ts). Unset: calls record their port only.
   */
  identifyCaller: ((remotePort: number) => string | undefined) | undefined;
  /**
   * The partner account (GET /partner/getInstances/{partnerToken}, REAL-API.md): its token and
   * what getInstances lists, in GREEN-API's shape; tests edit the list as the account changes.
   */
  readonly partner: { token: string; instances: PartnerInstance[] } = {
    token: "partnertoken0123456789abcdef",
    instances: [],
  };

  private constructor(
    private readonly server: Server,
    port: number,
    private readonly opts: FakeGreenApiOptions,
  ) {
    this.apiUrl = `http://127.0.0.1:${port}`;
    this.scanTimeoutMs = opts.scanTimeoutMs ?? 100_000;
    this.settingsApplyMs = opts.settingsApplyMs ?? 300_000;
    this.enforceRateLimits = opts.enforceRateLimits ?? false;
    this.serve(server);
  }

  /** The fake's HTTP and WebSocket handling on a server (its own, or one from alsoListen). */
  private serve(server: Server): void {
    server.on("request", (req, res) => void this.handle(req, res));
    server.on("upgrade", (req, socket, head) => this.upgrade(req, socket, head));
  }

  /**
   * The same fake at one more address (its apiUrl): a bench gives each of its processes its own,
   * and every call records which one it came to (`GreenApiCall.apiUrl`), without /proc lookups.
   */
  async alsoListen(): Promise<string> {
    const server = createServer();
    this.serve(server);
    const port = await listen(server);
    this.moreServers.push(server);
    return `http://127.0.0.1:${port}`;
  }

  private readonly moreServers: Server[] = [];

  static async start(opts: FakeGreenApiOptions = {}): Promise<FakeGreenApi> {
    const server = createServer();
    const port = await listen(server);
    return new FakeGreenApi(server, port, opts);
  }

  addInstance(opts: AddInstanceOptions): FakeInstance {
    const id = String(opts.idInstance);
    const instance = new Instance(
      id,
      opts.apiTokenInstance,
      opts,
      (body) => {
        this.wakeNotificationWaiters();
        if (this.settingsLetThrough(instance, body)) this.webhooks.push(id, body);
      },
      () => this.receiptId++,
    );
    this.instances.set(id, instance);
    return instance;
  }

  instance(idInstance: string | number): FakeInstance {
    const instance = this.instances.get(String(idInstance));
    if (!instance) throw new Error(`FakeGreenApi: no instance ${idInstance}`);
    return instance;
  }

  /**
   * The next calls of `method` on `idInstance` get these responses in order (before any other
   * check, the token included), then normal behaviour resumes.
   */
  script(idInstance: string | number, method: string, ...responses: ScriptedResponse[]): void {
    const key = scriptKey(String(idInstance), method);
    this.scripts.set(key, [...(this.scripts.get(key) ?? []), ...responses]);
  }

  /** How many scripted responses of `method` on `idInstance` are still to be served. */
  scriptedLeft(idInstance: string | number, method: string): number {
    return this.scripts.get(scriptKey(String(idInstance), method))?.length ?? 0;
  }

  callsOf(method: string, idInstance?: string | number): GreenApiCall[] {
    return this.calls.filter(
      (call) =>
        call.method === method &&
        (idInstance === undefined || call.idInstance === String(idInstance)),
    );
  }

  /** First call (recorded or future) matching; re-checked when a pending call gets its status. */
  waitFor(predicate: (c: GreenApiCall) => boolean, timeoutMs = 5000): Promise<GreenApiCall> {
    return this.waiters.wait(this.calls, predicate, timeoutMs, () =>
      describeTimeout(
        "FakeGreenApi",
        timeoutMs,
        this.calls.map((c) => `${c.method}#${c.idInstance}(${c.status || "pending"})`),
      ),
    );
  }

  /**
   * From now on every notification (a state change, sendWebhook) is POSTed to `target.url` with
   * `Authorization: Bearer <token>`; a non-200 answer is sent again after `retryMs` (REAL-API.md).
   */
  setWebhook(target: WebhookTarget | undefined): void {
    this.webhooks.configure(target);
  }

  /** Delivers any notification body (e.g. one of GREEN-API's documented examples) to the webhook. */
  sendWebhook(idInstance: string | number, body: unknown): void {
    this.webhooks.push(String(idInstance), body);
  }

  /** scanqrcode sockets open now, of one instance or all. */
  openSockets(idInstance?: string | number): number {
    return [...this.sockets.values()].filter(
      (id) => idInstance === undefined || id === String(idInstance),
    ).length;
  }

  /**
   * The instance's scanqrcode sockets stay open but push nothing more (a socket a proxy or the
   * server holds open while its feed has stopped); `false` lets them speak again.
   */
  silenceSockets(idInstance: string | number, silent = true): void {
    if (silent) this.silenced.add(String(idInstance));
    else this.silenced.delete(String(idInstance));
  }

  /** Drops the instance's scanqrcode sockets without a word (a network cut, a server restart). */
  dropSockets(idInstance: string | number): void {
    for (const [socket, id] of this.sockets) if (id === String(idInstance)) socket.terminate();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.webhooks.close();
    for (const instance of this.instances.values()) instance.stopTimer();
    for (const socket of this.sockets.keys()) socket.terminate();
    this.wss.close();
    for (const pending of this.open) {
      pending.release();
      pending.res.destroy();
    }
    this.waiters.rejectAll("FakeGreenApi closed while waitFor was pending");
    await Promise.all([this.server, ...this.moreServers].map((server) => closeServer(server)));
  }

  // ---- HTTP -------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const partner = /^\/partner\/([^/]+)\/([^/]+)\/?$/.exec(url.pathname);
    if (partner) return this.handlePartner(req, res, partner[1] ?? "", partner[2] ?? "");
    const route = /^\/waInstance([^/]+)\/([^/]+)\/([^/]+)(?:\/([^/]+))?\/?$/.exec(url.pathname);
    // Who is calling, while the connection is surely open (before reading the body).
    const caller = this.callerOf(req);
    const raw = await readBody(req);
    const call: GreenApiCall = {
      idInstance: route?.[1] ?? "",
      method: route?.[2] ? (METHOD_NAMES.get(route[2].toLowerCase()) ?? route[2]) : url.pathname,
      httpMethod: req.method ?? "GET",
      token: route?.[3] ?? "",
      body: parseBody(raw),
      query: Object.fromEntries(url.searchParams),
      at: Date.now(),
      status: 0,
    };
    if (route?.[4] !== undefined) call.extra = decodeURIComponent(route[4]);
    Object.assign(call, caller);
    this.calls.push(call);
    this.waiters.notify(call);

    let answer: Answer | undefined;
    try {
      answer = await this.answer(call, res);
    } catch (error) {
      answer = {
        status: 500,
        body: JSON.stringify({ message: `fake failed: ${String(error)}` }),
      };
    }
    if (!answer) return; // hung, or the client left
    if (res.destroyed) {
      this.finish(call, 499);
      return;
    }
    send(res, answer.status, answer.body);
    this.finish(call, answer.status);
  }

  private callerOf(req: IncomingMessage): Pick<GreenApiCall, "remotePort" | "caller" | "apiUrl"> {
    const apiUrl = `http://127.0.0.1:${req.socket.localPort}`;
    const remotePort = req.socket.remotePort;
    if (remotePort === undefined) return { apiUrl };
    const caller = this.identifyCaller?.(remotePort);
    return caller === undefined ? { remotePort, apiUrl } : { remotePort, caller, apiUrl };
  }

  // ---- WebSocket: scanqrcode --------------------------------------------------------------

  /**
   * `ws(s)://…/waInstance{id}/scanqrcode/{token}`. Recorded as a call of method "scanqrcode"
   * (status 101 once open). A script for "scanqrcode" answers the upgrade with its status instead;
   * a scripted status 101 opens the socket and sends `raw` (e.g. garbage) as its only message.
   */
  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const route = /^\/waInstance([^/]+)\/([^/]+)\/([^/]+)\/?$/.exec(url.pathname);
    const call: GreenApiCall = {
      idInstance: route?.[1] ?? "",
      method: route?.[2]?.toLowerCase() === "scanqrcode" ? "scanqrcode" : url.pathname,
      httpMethod: "GET",
      token: route?.[3] ?? "",
      body: undefined,
      query: Object.fromEntries(url.searchParams),
      at: Date.now(),
      status: 0,
    };
    Object.assign(call, this.callerOf(req));
    this.calls.push(call);
    this.waiters.notify(call);
    const instance = this.instances.get(call.idInstance);
    const refusal = this.refusalOf(call, instance);
    if (refusal === 101) {
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        this.finish(call, 101);
        this.sockets.set(ws, call.idInstance);
        ws.on("close", () => this.sockets.delete(ws));
        ws.send(this.scriptedRaw ?? "");
      });
      return;
    }
    if (refusal !== undefined || !instance) {
      const status = refusal ?? 403;
      socket.end(`HTTP/1.1 ${status} Refused\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
      this.finish(call, status);
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.finish(call, 101);
      this.serveScan(ws, instance);
    });
  }

  /** The HTTP status that refuses this upgrade, if any. */
  private refusalOf(call: GreenApiCall, instance: Instance | undefined): number | undefined {
    const scripted = this.scripts.get(scriptKey(call.idInstance, "scanqrcode"))?.shift();
    this.scriptedRaw = scripted?.raw;
    if (scripted) return scripted.status ?? 500;
    if (call.method !== "scanqrcode") return 404;
    if (!instance) return 403;
    if (call.token !== instance.apiTokenInstance) return 401;
    if (this.enforceRateLimits && this.rateLimited(instance, "scanqrcode")) return 429;
    return undefined;
  }

  /** Pushes QR codes until the instance logs in, the scan times out or the client leaves. */
  private serveScan(ws: WebSocket, instance: Instance): void {
    this.sockets.set(ws, instance.idInstance);
    const push = (message: { type: string; message: unknown }) => {
      if (this.silenced.has(instance.idInstance)) return;
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
    };
    const pushQr = async (payload: string) =>
      push({ type: "qrCode", message: await this.qrPng(payload) });
    let unsubscribe = () => {};
    const timeout = setTimeout(() => {
      push({ type: "timeout", message: "QR scan timed out" });
      ws.close(1000);
    }, this.scanTimeoutMs);
    ws.on("close", () => {
      clearTimeout(timeout);
      unsubscribe();
      this.sockets.delete(ws);
    });
    ws.on("error", () => ws.terminate());
    const ended = (): boolean => {
      if (instance.state === "authorized") {
        push({
          type: "accountData",
          message: { phone: instance.phone, deviceId: "fake-device" },
        });
        ws.close(1000);
        return true;
      }
      return false;
    };
    if (instance.state === "authorized") {
      push({
        type: "alreadyLogged",
        message: "instance account already authorized",
      });
      ws.close(1000);
      return;
    }
    if (instance.needsLogout) {
      push({
        type: "error",
        message: "Instance has auth. You need to make log out",
      });
      ws.close(1000);
      return;
    }
    unsubscribe = instance.listen((event) => {
      if (event.kind === "state") ended();
      else void pushQr(event.payload).then(() => instance.markServed(event.payload));
    });
    const payload = instance.currentQrPayload();
    void pushQr(payload).then(() => instance.markServed(payload));
  }

  /** Adds an instance to the partner account and to the fake: it answers state checks too. */
  addAccountInstance(
    opts: AddInstanceOptions & Partial<Omit<PartnerInstance, "idInstance" | "apiTokenInstance">>,
  ): FakeInstance {
    const added = this.addInstance(opts);
    this.partner.instances.push({
      idInstance: Number(opts.idInstance),
      name: opts.name ?? `Instance ${opts.idInstance}`,
      typeInstance: opts.typeInstance ?? "whatsapp",
      typeAccount: "",
      partnerUserUiid: "",
      timeCreated: "2026-01-10T09:00:00",
      timeDeleted: "0001-01-01T00:00:00",
      apiTokenInstance: opts.apiTokenInstance,
      deleted: opts.deleted ?? false,
      tariff: "BUSINESS",
      isFree: false,
      isPartner: true,
      expirationDate: opts.expirationDate ?? "2027-01-10T09:00:00",
      isExpired: opts.isExpired ?? false,
      // Undocumented for getInstances: only a test that asks for it gets one (REAL-API.md).
      ...(opts.apiUrl ? { apiUrl: opts.apiUrl } : {}),
    });
    return added;
  }

  /**
   * getInstances of the partner API. A wrong token is answered as GREEN-API does: HTTP 200 with
   * {code: 401, description: "Unauthorized"} (REAL-API.md).
   */
  private async handlePartner(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    token: string,
  ): Promise<void> {
    await readBody(req);
    const call: GreenApiCall = {
      idInstance: "",
      method: `partner/${method}`,
      httpMethod: req.method ?? "GET",
      token,
      body: undefined,
      query: {},
      at: Date.now(),
      status: 0,
    };
    this.calls.push(call);
    const scripted = this.scripts.get(scriptKey("", call.method))?.shift();
    if (scripted) {
      const answer = await this.scriptedAnswer(call, scripted, res);
      if (!answer || res.destroyed) return;
      send(res, answer.status, answer.body);
      this.finish(call, answer.status);
      return;
    }
    if (method !== "getInstances" || req.method !== "GET") {
      send(res, 404, "");
      this.finish(call, 404);
      return;
    }
    const body =
      token === this.partner.token
        ? this.partner.instances
        : { code: 401, description: "Unauthorized" };
    send(res, 200, JSON.stringify(body));
    this.finish(call, 200);
  }

  private finish(call: GreenApiCall, status: number): void {
    call.status = status;
    this.waiters.notify(call);
  }

  private async answer(call: GreenApiCall, res: ServerResponse): Promise<Answer | undefined> {
    const scripted = this.scripts.get(scriptKey(call.idInstance, call.method))?.shift();
    if (scripted) return this.scriptedAnswer(call, scripted, res);
    const instance = this.instances.get(call.idInstance);
    if (!instance) return { status: 403, body: "" };
    if (call.token !== instance.apiTokenInstance) return { status: 401, body: "" };
    const verbs = METHODS[call.method];
    if (!verbs) return { status: 404, body: "" };
    if (!verbs.includes(call.httpMethod)) return { status: 405, body: "" };
    if (this.enforceRateLimits && this.rateLimited(instance, call.method)) {
      return { status: 429, body: "" };
    }
    if (instance.quotaExceeded) return { status: 466, body: JSON.stringify(QUOTA_EXCEEDED_BODY) };
    const json = (status: number, value: unknown): Answer => ({
      status,
      body: JSON.stringify(value),
    });
    switch (call.method) {
      case "qr": {
        if (instance.state === "authorized") {
          return json(200, {
            type: "alreadyLogged",
            message: "instance account already authorized",
          });
        }
        if (instance.needsLogout) {
          return json(200, {
            type: "error",
            message: "Instance has auth. You need to make log out",
          });
        }
        const payload = instance.currentQrPayload();
        const png = await this.qrPng(payload);
        instance.markServed(payload);
        return json(200, { type: "qrCode", message: png });
      }
      case "getStateInstance":
        return json(200, { stateInstance: instance.state });
      case "getWaSettings":
        return json(200, {
          avatar: "",
          phone: instance.state === "authorized" ? instance.phone : "",
          stateInstance: instance.state,
          deviceId: "fake-device",
        });
      case "logout":
        instance.logout();
        return json(200, { isLogout: true });
      case "reboot":
        if (instance.afterReboot) instance.state = instance.afterReboot;
        return json(200, { isReboot: true });
      case "showMessagesQueue":
        return json(200, instance.messagesQueue);
      case "getSettings":
        return json(200, getSettingsAnswer(instance.phone, instance.settings));
      case "setSettings": {
        const read = readSettingsPatch(call.body);
        if (!read.ok) return json(400, { message: read.message });
        this.saveSettings(instance, read.patch);
        return json(200, { saveSettings: true });
      }
      case "getAuthorizationCode": {
        const phoneNumber = (call.body as { phoneNumber?: unknown } | undefined)?.phoneNumber;
        if (
          typeof phoneNumber !== "number" ||
          !Number.isSafeInteger(phoneNumber) ||
          phoneNumber <= 0
        ) {
          return json(400, {
            message: "phoneNumber is required and must be an integer",
          });
        }
        // Codes are issued to a logged-out instance only (GREEN-API docs, getAuthorizationCode;
        // facts.md). What the real one answers otherwise is not documented: the fake gives the
        // documented shape with status false (REAL-API.md notes the uncertainty).
        if (instance.state === "authorized") return json(200, { status: false, code: "" });
        // Undocumented: modelled on `qr`'s answer for the same condition (REAL-API.md).
        if (instance.needsLogout) {
          return json(200, {
            status: false,
            code: "",
            message: "Instance has auth. You need to make log out",
          });
        }
        // Common errors: 400 while the instance is starting.
        if (instance.state === "starting") return json(400, { message: "instance is starting" });
        return json(200, { status: true, code: instance.newCode() });
      }
      case "getStateInstanceHistory":
        // Newest first, as in GREEN-API's documented example.
        return json(200, [...instance.history].reverse());
      case "receiveNotification":
        return this.receiveNotification(instance, call, res);
      case "deleteNotification": {
        const index = instance.notifications.findIndex((n) => String(n.receiptId) === call.extra);
        if (index !== -1) instance.notifications.splice(index, 1);
        return json(200, { result: index !== -1 });
      }
      default:
        return { status: 404, body: "" };
    }
  }

  /**
   * setSettings: saved at once (getSettings shows them), then the reboot (`starting`), then, after
   * `settingsApplyMs`, the instance's notifications follow the new settings and it is back in the
   * state it was in. Another setSettings meanwhile restarts the wait.
   */
  private saveSettings(instance: Instance, patch: Partial<FakeSettings>): void {
    instance.settings = { ...instance.settings, ...patch };
    const before = instance.state === "starting" ? undefined : instance.state;
    instance.state = "starting";
    if (instance.settingsTimer) clearTimeout(instance.settingsTimer);
    instance.settingsTimer = setTimeout(() => {
      instance.settingsTimer = undefined;
      if (this.closed) return;
      const applied = { ...instance.settings };
      instance.settingsApplied.push(applied);
      this.webhooks.configureInstance(
        instance.idInstance,
        applied.webhookUrl === ""
          ? null
          : { url: applied.webhookUrl, token: applied.webhookUrlToken },
      );
      if (before !== undefined && instance.state === "starting") instance.state = before;
    }, this.settingsApplyMs);
  }

  /** Once settings were applied, a notification goes out only if its switch is "yes". */
  private settingsLetThrough(instance: Instance | undefined, body: unknown): boolean {
    if (!instance || instance.settingsApplied.length === 0) return true;
    const applied = instance.settingsApplied.at(-1);
    const toggle = switchOf((body as { typeWebhook?: unknown } | undefined)?.typeWebhook);
    return applied === undefined || toggle === undefined || applied[toggle] === "yes";
  }

  private async scriptedAnswer(
    call: GreenApiCall,
    scripted: ScriptedResponse,
    res: ServerResponse,
  ): Promise<Answer | undefined> {
    if (scripted.hang) {
      await this.holdOpen(call, res, undefined);
      return undefined;
    }
    if (scripted.delayMs && !(await this.holdOpen(call, res, scripted.delayMs))) return undefined;
    const body = scripted.raw ?? (scripted.json === undefined ? "" : JSON.stringify(scripted.json));
    return { status: scripted.status ?? 200, body };
  }

  /**
   * Keeps a request open for `ms` (forever if undefined). Resolves true when the time is up,
   * false when the client gave up (the call is then marked 499) or the fake closed.
   */
  private holdOpen(
    call: GreenApiCall,
    res: ServerResponse,
    ms: number | undefined,
    wake?: Set<() => void>,
  ): Promise<boolean> {
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        if (timer) clearTimeout(timer);
        res.off("close", onClose);
        this.open.delete(pending);
        wake?.delete(onWake);
        resolve(ok);
      };
      const onClose = () => {
        if (call.status === 0) this.finish(call, 499);
        done(false);
      };
      const onWake = () => done(true);
      const pending = { res, release: () => done(false) };
      const timer = ms === undefined ? undefined : setTimeout(() => done(true), ms);
      res.once("close", onClose);
      this.open.add(pending);
      wake?.add(onWake);
      if (!res.socket || res.socket.destroyed) onClose();
    });
  }

  /** Long poll: waits up to receiveTimeout seconds (5..60, default 5) for a notification. */
  private async receiveNotification(
    instance: Instance,
    call: GreenApiCall,
    res: ServerResponse,
  ): Promise<Answer | undefined> {
    const requested = Number(call.query.receiveTimeout ?? 5);
    const seconds = Number.isFinite(requested) ? Math.min(Math.max(requested, 5), 60) : 5;
    // performance.now(), not Date.now(): a test may fake Date; this wait must stay on real time.
    const deadline = performance.now() + seconds * 1000;
    // Any instance's notification wakes the waiters: loop until this one has one or time is up.
    while (instance.notifications.length === 0 && performance.now() < deadline) {
      const remaining = deadline - performance.now();
      const stillThere = await this.holdOpen(call, res, remaining, this.notificationWaiters);
      if (!stillThere) return undefined;
    }
    const next = instance.notifications[0];
    return {
      status: 200,
      body: next ? JSON.stringify({ receiptId: next.receiptId, body: next.body }) : "null",
    };
  }

  private wakeNotificationWaiters(): void {
    for (const wake of [...this.notificationWaiters]) wake();
  }

  private rateLimited(instance: Instance, method: string): boolean {
    const perSecond = RATE_LIMITS[method];
    if (perSecond === undefined) return false;
    const key = `${instance.idInstance}/${method}`;
    const now = Date.now();
    const window = (this.rateWindows.get(key) ?? []).filter((t) => now - t < 1000);
    this.rateWindows.set(key, window);
    if (window.length >= perSecond) return true;
    window.push(now);
    return false;
  }

  /** base64 PNG of a real QR code, cached per payload (encoding costs a few ms). */
  private qrPng(payload: string): Promise<string> {
    let png = this.qrPngs.get(payload);
    if (!png) {
      png = QRCode.toBuffer(payload, {
        type: "png",
        width: 264,
        margin: 2,
      }).then((buf) => buf.toString("base64"));
      this.qrPngs.set(payload, png);
    }
    return png;
  }
}

function parseBody(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  const text = raw.toString("utf8");
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function scriptKey(idInstance: string, method: string): string {
  return `${idInstance}/${method.toLowerCase()}`;
}

function unixNow(): number {
  return Math.floor(Date.now() / 1000);
}
