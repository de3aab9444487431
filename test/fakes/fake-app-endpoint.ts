// The customer's application behind the relay: a plain HTTP endpoint that records what it got
// (the bytes, the headers) and can be told to answer 500 for a while, to be slow, or to be gone.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { closeServer, listen, readBody } from "./http.js";

export interface ReceivedNotification {
  body: Buffer;
  contentType: string | undefined;
  authorization: string | undefined;
  deliveryId: string | undefined;
  idInstance: string | undefined;
  /** Answered with this status (200 counts as delivered). */
  status: number;
  at: number;
}

export interface FakeAppOptions {
  /** Answer this long after the request came (an application at work). */
  delayMs?: number;
  /** Requests after the body, so the tests do not keep every byte of a bench's run. */
  keepBodies?: boolean;
}

export class FakeAppEndpoint {
  readonly received: ReceivedNotification[] = [];
  /** Called on every 2xx, for benches that keep no bodies. */
  onDelivered?: (notification: ReceivedNotification) => void;
  private server: Server | undefined;
  private failing: number | "always" | 0 = 0;
  private failStatus = 500;
  private port = 0;

  constructor(private readonly options: FakeAppOptions = {}) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 30_000;
    this.port = await listen(this.server);
    return this.url;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks/green-api`;
  }

  /** The next `count` requests (or every one, until `recover`) get `status`. */
  fail(count: number | "always", status = 500): void {
    this.failing = count;
    this.failStatus = status;
  }

  recover(): void {
    this.failing = 0;
  }

  set delayMs(ms: number) {
    this.options.delayMs = ms;
  }

  /** 2xx answers: what the application holds. */
  get delivered(): ReceivedNotification[] {
    return this.received.filter((r) => r.status >= 200 && r.status < 300);
  }

  async stop(): Promise<void> {
    if (this.server) await closeServer(this.server);
    this.server = undefined;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    if (this.options.delayMs) await sleep(this.options.delayMs);
    let status = 200;
    if (this.failing === "always") status = this.failStatus;
    else if (this.failing > 0) {
      this.failing -= 1;
      status = this.failStatus;
    }
    const header = (name: string) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    const record: ReceivedNotification = {
      body: this.options.keepBodies === false ? Buffer.alloc(0) : body,
      contentType: header("content-type"),
      authorization: header("authorization"),
      deliveryId: header("x-greenlight-delivery"),
      idInstance: header("x-greenlight-instance"),
      status,
      at: Date.now(),
    };
    if (this.options.keepBodies !== false || status !== 200) this.received.push(record);
    if (status >= 200 && status < 300) this.onDelivered?.({ ...record, body });
    res.writeHead(status, { "content-type": "application/json" }).end('{"ok":true}');
  }
}
