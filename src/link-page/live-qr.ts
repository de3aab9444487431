import type { Redis } from "ioredis";
import { z } from "zod";

/**
 * The live QR of each instance, as the one running QR session shows it, for any number of link
 * page viewers in any process: the session publishes each QR (and its end) to a Redis channel of
 * the instance, and keeps the newest for a viewer who arrives between two rotations. No viewer
 * ever asks GREEN-API: GREEN-API allows 3 `qr` calls a second per instance, and one poller uses
 * them already.
 */

/** How a session ended, as its viewers need it: linked now, linked before it began, or not. */
export type QrSessionEnd = "authorized" | "already-authorized" | "other";

export type LiveQrEvent =
  | { kind: "qr"; png: string; deadline: number; at: number }
  | { kind: "ended"; end: QrSessionEnd; at: number };

const eventSchema = z.union([
  z.object({ kind: z.literal("qr"), png: z.string(), deadline: z.number(), at: z.number() }),
  z.object({
    kind: z.literal("ended"),
    end: z.enum(["authorized", "already-authorized", "other"]),
    at: z.number(),
  }),
]);

/** A QR is replaced within about 20 s; one older than this is not worth showing a newcomer. */
const LATEST_KEPT_MS = 25_000;

function parse(raw: string | null): LiveQrEvent | undefined {
  if (!raw) return undefined;
  try {
    const parsed = eventSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export type LiveQrListener = (event: LiveQrEvent) => void;

export class LiveQrChannel {
  private readonly listeners = new Map<string, Set<LiveQrListener>>();
  private subscriberReady?: Promise<void>;

  /**
   * `publisher`: any connection; `subscriber`: one of its own (a subscribed connection can do
   * nothing else), opened on the first viewer of this process only.
   */
  constructor(
    private readonly publisher: Redis,
    private readonly openSubscriber: () => Redis,
    private readonly prefix: string,
  ) {}

  private channel(instance: string) {
    return `${this.prefix}:live-qr:${instance}`;
  }
  private latestKey(instance: string) {
    return `${this.prefix}:live-qr-latest:${instance}`;
  }

  async qrShown(instance: string, qrPngBase64: string, deadline: number): Promise<void> {
    await this.publish(instance, { kind: "qr", png: qrPngBase64, deadline, at: Date.now() });
  }

  async ended(instance: string, end: QrSessionEnd): Promise<void> {
    await this.publish(instance, { kind: "ended", end, at: Date.now() });
  }

  private async publish(instance: string, event: LiveQrEvent): Promise<void> {
    const json = JSON.stringify(event);
    const multi = this.publisher.multi().publish(this.channel(instance), json);
    if (event.kind === "qr") multi.set(this.latestKey(instance), json, "PX", LATEST_KEPT_MS);
    else multi.del(this.latestKey(instance));
    await multi.exec();
  }

  /** The QR on screen now, if a session shows one. */
  async latest(instance: string): Promise<LiveQrEvent | undefined> {
    return parse(await this.publisher.get(this.latestKey(instance)));
  }

  /** Calls `listener` with every event of the instance until the returned function is called. */
  async subscribe(instance: string, listener: LiveQrListener): Promise<() => void> {
    const subscriber = await this.subscriber();
    const channel = this.channel(instance);
    let set = this.listeners.get(channel);
    if (!set) {
      set = new Set();
      this.listeners.set(channel, set);
      await subscriber.subscribe(channel);
    }
    set.add(listener);
    return () => {
      const current = this.listeners.get(channel);
      current?.delete(listener);
      if (current?.size === 0) {
        this.listeners.delete(channel);
        void subscriber.unsubscribe(channel).catch(() => undefined);
      }
    };
  }

  private subscriberConnection?: Redis;

  private async subscriber(): Promise<Redis> {
    if (!this.subscriberConnection) {
      const connection = this.openSubscriber();
      this.subscriberConnection = connection;
      connection.on("message", (channel: string, message: string) => {
        const event = parse(message);
        if (!event) return;
        for (const listener of this.listeners.get(channel) ?? []) listener(event);
      });
      this.subscriberReady = Promise.resolve();
    }
    await this.subscriberReady;
    return this.subscriberConnection;
  }

  close(): void {
    this.listeners.clear();
    this.subscriberConnection?.disconnect();
    this.subscriberConnection = undefined;
  }
}
