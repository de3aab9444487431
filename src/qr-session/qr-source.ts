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

export type QrSourceKind = "poll" | "websocket";

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
): QrSourceFactory {
  return {
    open(instance, logger) {
      const poll = new PollSource(greenApi, instance);
      return kind === "websocket" ? new SocketSource(poll, instance, logger, socketOptions) : poll;
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
