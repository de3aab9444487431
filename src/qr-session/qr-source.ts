import type { Instance } from "../config/index.js";
import type { GreenApiClient } from "../green-api/client.js";
import {
  openQrSocket,
  type QrSocket,
  type QrSocketEnd,
  type QrSocketMessage,
  type QrSocketOptions,
} from "../green-api/qr-socket.js";
import type { QrAnswer } from "../green-api/schemas.js";
import type { Logger } from "../shared/logger.js";
import { sleep } from "../shared/time.js";

/**
 * Where a session learns the current QR. The runner asks `current()` once per tick and then
 * `wait()`s for the next tick; a push source ends that wait as soon as something new arrives.
 */
export interface QrSource {
  /** The answer current now, or undefined when nothing has arrived yet. Throws GreenApiError. */
  current(signal: AbortSignal): Promise<QrAnswer | undefined>;
  /** Pauses up to `ms`; a push source returns early when a new message arrives. */
  wait(ms: number, signal: AbortSignal): Promise<void>;
  /** True while the source itself reports logins, so no getStateInstance safety net is needed. */
  readonly reportsLogin: boolean;
  close(): void;
}

export type QrSourceKind = "poll" | "websocket" | "auto";

export interface QrSourceFactory {
  open(instance: Instance, logger: Logger): QrSource;
}

/** GET …/qr on every tick. */
export class PollSource implements QrSource {
  readonly reportsLogin = false;

  constructor(
    private readonly greenApi: GreenApiClient,
    private readonly instance: Instance,
  ) {}

  current(signal: AbortSignal): Promise<QrAnswer> {
    return this.greenApi.qr(this.instance, { signal });
  }

  wait(ms: number, signal: AbortSignal): Promise<void> {
    return sleep(ms, signal);
  }

  close(): void {}
}

export interface SocketSourceOptions extends QrSocketOptions {
  /** Reopens after GREEN-API's scan window ends (`timeout`); polling bridges the gap. */
  maxReopens: number;
}

type OpenSocket = (
  instance: Instance,
  handlers: Parameters<typeof openQrSocket>[1],
  options: QrSocketOptions,
) => QrSocket;

/**
 * The `scanqrcode` WebSocket, with polling underneath: when the socket fails, closes or times out
 * the source polls at once, so a session never goes without a QR. After a `timeout` (an orderly
 * end of GREEN-API's 100 s scan window) it opens a new socket, a bounded number of times; after a
 * failure it polls for the rest of the session.
 */
export class SocketSource implements QrSource {
  private socket: QrSocket | undefined;
  private latest: QrAnswer | undefined;
  private live = false;
  private reopens = 0;
  private wake: (() => void) | undefined;
  private closed = false;
  /** Hears every QR the socket pushes (the watchdog of QR_SOURCE=auto). */
  onQr: ((message: string) => void) | undefined;

  constructor(
    private readonly poll: PollSource,
    private readonly instance: Instance,
    private readonly logger: Logger,
    private readonly options: SocketSourceOptions,
    private readonly openSocket: OpenSocket = openQrSocket,
  ) {
    this.connect();
  }

  get reportsLogin(): boolean {
    return this.live;
  }

  async current(signal: AbortSignal): Promise<QrAnswer | undefined> {
    if (this.live) return this.latest;
    const answer = await this.poll.current(signal);
    // Polling bridged the gap after a timeout: try the socket again for the next push.
    if (!this.socket && !this.closed && this.reopens < this.options.maxReopens) {
      this.reopens += 1;
      this.connect();
    }
    return answer;
  }

  wait(ms: number, signal: AbortSignal): Promise<void> {
    if (!this.live) return this.poll.wait(ms, signal);
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        if (this.wake === done) this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener("abort", done, { once: true });
      this.wake = done;
      if (signal.aborted) done();
    });
  }

  close(): void {
    this.closed = true;
    this.live = false;
    this.socket?.close();
    this.socket = undefined;
    this.wake?.();
  }

  private connect(): void {
    this.live = true;
    this.latest = undefined;
    this.socket = this.openSocket(
      this.instance,
      {
        onMessage: (message) => this.onMessage(message),
        onEnd: (end) => this.onEnd(end),
      },
      this.options,
    );
  }

  private onMessage(message: QrSocketMessage): void {
    this.latest = toAnswer(message);
    if (message.type === "qrCode") this.onQr?.(message.message);
    this.wake?.();
  }

  private onEnd(end: QrSocketEnd): void {
    this.socket = undefined;
    this.live = false;
    if (end.reason !== "timeout") this.reopens = this.options.maxReopens; // poll from now on
    this.logger.info(
      {
        socketEnd: end.reason,
        detail: "detail" in end ? end.detail : undefined,
      },
      "QR socket ended; polling instead",
    );
    this.wake?.(); // poll at once rather than after the rest of the tick
  }
}

/** The socket's words in the terms of the `qr` method, which the session runner understands. */
export function toAnswer(message: QrSocketMessage): QrAnswer | undefined {
  switch (message.type) {
    case "qrCode":
      return { type: "qrCode", message: message.message };
    case "error":
      return { type: "error", message: message.message };
    case "alreadyLogged":
    case "accountData":
      // accountData: the QR was scanned and the instance is now logged in.
      return {
        type: "alreadyLogged",
        message: "instance account already authorized",
      };
    default:
      return undefined;
  }
}

export function createQrSourceFactory(
  kind: QrSourceKind,
  greenApi: GreenApiClient,
  socketOptions: SocketSourceOptions,
  watchOptions: WatchOptions = DEFAULT_WATCH,
): QrSourceFactory {
  return {
    open(instance, logger) {
      const poll = new PollSource(greenApi, instance);
      if (kind === "poll") return poll;
      const socket = new SocketSource(poll, instance, logger, socketOptions);
      return kind === "websocket"
        ? socket
        : new WatchedSocketSource(socket, poll, logger, watchOptions);
    },
  };
}

/**
 * Socket settings for a session of `qrTimeoutMs`: GREEN-API closes a scan after 100 s, so enough
 * reopens to cover the whole session; a push comes about every 20 s, so 45 s of silence is death.
 */
export function socketOptionsFor(
  qrTimeoutMs: number,
  requestTimeoutMs: number,
): SocketSourceOptions {
  return {
    connectTimeoutMs: requestTimeoutMs,
    idleTimeoutMs: 45_000,
    maxReopens: Math.ceil(qrTimeoutMs / 100_000) + 1,
  };
}

export interface WatchOptions {
  /** The first look, after the socket opened: a socket that pushed nothing by then is suspect. */
  firstWatchMs: number;
  /** Between looks until the rotation period is learned from the socket's pushes. */
  watchEveryMs: number;
  /** A polled QR the socket has not pushed within this is one it never will. */
  graceMs: number;
}

export const DEFAULT_WATCH: WatchOptions = {
  firstWatchMs: 3_000,
  watchEveryMs: 10_000,
  graceMs: 1_500,
};

/**
 * QR_SOURCE=auto: the scanqrcode socket, watched. Once per rotation period (learned from the
 * socket's own pushes, looked at half-way between two of them so that a push in flight is not
 * taken for a missing one) it polls `qr` through the shared limiter. A QR the poll shows that the
 * socket has not pushed within `graceMs` means the socket is silent or behind: it is distrusted
 * for the rest of the session and the session polls (phase-locked) instead.
 */
export class WatchedSocketSource implements QrSource {
  private distrusted = false;
  /** The QRs the socket pushed, newest last (a few: a suspect is one of the last). */
  private readonly pushed: string[] = [];
  private readonly pushedAt: number[] = [];
  private nextWatchAt: number;
  /** A polled QR the socket had not pushed yet, and what to show meanwhile. */
  private suspect: { answer: QrAnswer & { type: "qrCode" }; at: number } | undefined;

  constructor(
    private readonly socket: SocketSource,
    private readonly poll: PollSource,
    private readonly logger: Logger,
    private readonly options: WatchOptions,
    private readonly now: () => number = Date.now,
  ) {
    this.nextWatchAt = now() + options.firstWatchMs;
    socket.onQr = (message) => this.onPush(message);
  }

  get reportsLogin(): boolean {
    return !this.distrusted && this.socket.reportsLogin;
  }

  async current(signal: AbortSignal): Promise<QrAnswer | undefined> {
    if (this.distrusted) return this.poll.current(signal);
    if (this.suspect) {
      if (this.now() - this.suspect.at < this.options.graceMs) return this.suspect.answer;
      this.distrust();
      return this.poll.current(signal);
    }
    // The socket is down for now (between scan windows): it polls by itself.
    if (!this.socket.reportsLogin || this.now() < this.nextWatchAt)
      return this.socket.current(signal);
    const answer = await this.poll.current(signal);
    this.nextWatchAt = this.now() + (this.periodMs() ?? this.options.watchEveryMs);
    // Anything but a QR (a login, an error) is news as good as the socket's.
    if (answer.type !== "qrCode") return answer;
    // A QR the socket pushed: the socket's latest is at least as new.
    if (this.pushed.includes(answer.message)) return this.socket.current(signal);
    this.suspect = { answer: { ...answer, type: "qrCode" }, at: this.now() };
    return this.suspect.answer;
  }

  wait(ms: number, signal: AbortSignal): Promise<void> {
    return this.distrusted ? this.poll.wait(ms, signal) : this.socket.wait(ms, signal);
  }

  close(): void {
    this.socket.close();
  }

  private onPush(message: string): void {
    if (this.pushed.at(-1) === message) return;
    const at = this.now();
    this.pushed.push(message);
    this.pushedAt.push(at);
    if (this.pushed.length > 5) {
      this.pushed.shift();
      this.pushedAt.shift();
    }
    if (this.suspect?.answer.message === message) this.suspect = undefined;
    const period = this.periodMs();
    // Half-way to the next push: far from a rotation, so the socket has had its chance.
    if (period !== undefined) this.nextWatchAt = Math.max(this.nextWatchAt, at + period / 2);
  }

  /** The rotation period, once the socket's last pushes agree on one (within a tenth). */
  private periodMs(): number | undefined {
    const gaps = this.pushedAt.slice(1).map((t, i) => t - (this.pushedAt[i] as number));
    if (gaps.length < 2) return undefined;
    const sorted = [...gaps].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] as number;
    return gaps.every((g) => Math.abs(g - median) <= median / 10) ? median : undefined;
  }

  private distrust(): void {
    this.distrusted = true;
    this.suspect = undefined;
    this.socket.close();
    this.logger.warn("QR socket missed a QR that polling saw; polling for the rest of the session");
  }
}
