import type { Redis } from "ioredis";
import { z } from "zod";
import type { Logger } from "../shared/logger.js";
import { sleep } from "../shared/time.js";
import { hashLinkId, newLinkId } from "./link-id.js";
import type { LiveQrChannel, LiveQrEvent } from "./live-qr.js";
import { checkInitData } from "./mini-app-auth.js";
import { nextQrInMs, type PageEvent } from "./page-feed.js";

/** Telegram's own rule of thumb, and the issue's: initData older than an hour is refused. */
const INIT_DATA_MAX_AGE_MS = 3_600_000;
/**
 * A viewer token opens one stream, at once: it travels in the stream's URL (EventSource sends no
 * headers), which proxies log, so a logged one must be worth nothing. The page trades its
 * initData again for each reconnection.
 */
const VIEWER_TTL_MS = 60_000;
const RECHECK_MS = 2_000;

const viewerSchema = z.object({ userId: z.number().int(), instance: z.string() });

/**
 * "🔍 Full screen": the live QR of a running session as a Telegram Mini App, for an operator who
 * shows it to the phone next to them. No link is made: the operator proves who they are with
 * Telegram's initData, trades it for a short viewer token (kept hashed in Redis), and the view
 * follows the instance's one session, ending with it. The right is asked again all along.
 */
export class MiniAppViews {
  constructor(
    private readonly deps: {
      redis: Redis;
      prefix: string;
      botToken: string;
      channel: LiveQrChannel;
      /** The access model: may this user operate this instance? */
      mayOperate: (userId: number, instance: string) => boolean;
      logger: Logger;
    },
  ) {}

  private key(token: string) {
    return `${this.deps.prefix}:mini-app:${hashLinkId(token)}`;
  }

  /** A viewer token for a fresh, genuine initData of an operator of `instance`; else undefined. */
  async authorize(
    instance: string,
    initData: string,
    now = Date.now(),
  ): Promise<string | undefined> {
    const check = checkInitData(initData, this.deps.botToken, now, INIT_DATA_MAX_AGE_MS);
    if (!check.ok) {
      this.deps.logger.info({ instance, reason: check.reason }, "mini app refused");
      return undefined;
    }
    // A QR is shown in the asker's own view only: opened from a group, initData says so.
    const chatType = new URLSearchParams(initData).get("chat_type");
    if (chatType !== null && chatType !== "sender" && chatType !== "private") return undefined;
    if (!this.deps.mayOperate(check.userId, instance)) {
      this.deps.logger.info({ instance, userId: check.userId }, "mini app refused: no right");
      return undefined;
    }
    const token = newLinkId();
    await this.deps.redis.set(
      this.key(token),
      JSON.stringify({ userId: check.userId, instance }),
      "PX",
      VIEWER_TTL_MS,
    );
    return token;
  }

  /** The session's QRs until it ends (then "gone" or "linked"), the right lost, or `signal`. */
  async watch(
    instance: string,
    token: string,
    send: (event: PageEvent) => void,
    signal: AbortSignal,
  ): Promise<void> {
    const viewer = await this.viewer(token);
    if (!viewer || viewer.instance !== instance) return send({ kind: "gone" });
    let finished = false;
    const finish = (event: PageEvent) => {
      if (!finished) send(event);
      finished = true;
    };
    let lastQrAt: number | undefined;
    const onEvent = (event: LiveQrEvent) => {
      if (finished) return;
      if (event.kind === "qr") {
        const nextInMs = nextQrInMs(lastQrAt, event.at, Date.now());
        lastQrAt = event.at;
        return send({ kind: "qr", png: event.png, nextInMs });
      }
      finish(
        event.end === "other"
          ? { kind: "gone" }
          : { kind: event.end === "authorized" ? "linked" : "already-linked" },
      );
    };
    const unsubscribe = await this.deps.channel.subscribe(instance, onEvent);
    try {
      const latest = await this.deps.channel.latest(instance);
      if (latest?.kind === "qr") onEvent(latest);
      else send({ kind: "waiting" });
      while (!finished && !signal.aborted) {
        await sleep(RECHECK_MS, signal);
        if (!this.deps.mayOperate(viewer.userId, instance)) finish({ kind: "gone" });
      }
    } finally {
      unsubscribe();
    }
  }

  /** The token's viewer, once: it is deleted as it is read. */
  private async viewer(token: string) {
    if (!/^[A-Za-z0-9_-]{22}$/.test(token)) return undefined;
    const key = this.key(token);
    const taken = await this.deps.redis.multi().get(key).del(key).exec();
    const raw = taken?.[0]?.[1];
    if (typeof raw !== "string") return undefined;
    try {
      const parsed = viewerSchema.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }
}
