import type { Logger } from "../shared/logger.js";
import { sleep } from "../shared/time.js";
import type { LinkRecord } from "./link-rules.js";
import { pageView } from "./link-rules.js";
import type { LinkService } from "./link-service.js";
import type { LiveQrChannel, LiveQrEvent } from "./live-qr.js";
import type { LinkQrStarter } from "./ports.js";

/**
 * What an open link page receives, event by event (the SSE stream): the QR to show, "waiting"
 * while there is none, "linked", or "gone" (revoked, expired, the maker's right withdrawn). Never
 * the token, the idInstance or a phone number: the QR itself is the one secret it carries, and
 * the page is its one place.
 */
export type PageEvent =
  | { kind: "qr"; png: string; nextInMs: number }
  | { kind: "waiting" }
  | { kind: "linked" }
  | { kind: "already-linked" }
  | { kind: "gone" };

/** GREEN-API's QR lives about 20 s (facts.md): the countdown's guess until it has seen two. */
export const QR_ROTATION_MS = 20_000;

/**
 * Ms until the next QR, counted from the period the page has seen (two QRs in a row a plausible
 * period apart) rather than assumed: the documented 20 s until then, and after an odd gap.
 */
export function nextQrInMs(previousAt: number | undefined, at: number, now: number): number {
  const seen = previousAt === undefined ? undefined : at - previousAt;
  const period = seen !== undefined && seen >= 2_000 && seen <= 60_000 ? seen : QR_ROTATION_MS;
  return Math.max(0, at + period - now);
}
/** How often an open page re-reads its link (revoked, expired, rights): its longest lag. */
const RECHECK_MS = 2_000;
/** A session that ended without linking (timed out, cancelled) is started again this often. */
const RESTARTS_PER_VIEW = 3;

export interface PageFeedDeps {
  links: LinkService;
  channel: LiveQrChannel;
  starter: LinkQrStarter;
  /** Whether the link's maker still may operate its instance (else the link is dead). */
  makerMayOperate: (record: LinkRecord) => boolean;
  logger: Logger;
}

export class PageFeed {
  constructor(private readonly deps: PageFeedDeps) {}

  /** The link behind an id, alive and still its maker's to give; anything else is "gone". */
  async liveRecord(id: string, now = Date.now()): Promise<LinkRecord | undefined> {
    const record = await this.deps.links.recordOf(id);
    if (!record || pageView(record, now).kind === "gone") return undefined;
    return this.deps.makerMayOperate(record) ? record : undefined;
  }

  /**
   * Streams the page's events to `send` until `signal` aborts or the link dies. The QR comes
   * from the one session of the instance; one is started (in the maker's private chat) when
   * none runs.
   */
  async watch(id: string, send: (event: PageEvent) => void, signal: AbortSignal): Promise<void> {
    const { channel, links, starter, logger } = this.deps;
    const first = await this.liveRecord(id);
    if (!first) return send({ kind: "gone" });
    if (pageView(first, Date.now()).kind === "linked") return send({ kind: "linked" });
    const instance = first.instance;
    let restarts = 0;
    let finished = false;
    const finish = (event: PageEvent) => {
      if (finished) return;
      finished = true;
      send(event);
    };
    const start = () =>
      starter.ensureRunning(first).catch((error: unknown) => {
        logger.warn({ err: error, instance }, "link page: could not start a QR session");
      });
    let lastQrAt: number | undefined;
    const onEvent = (event: LiveQrEvent) => {
      if (finished) return;
      if (event.kind === "qr") {
        const nextInMs = nextQrInMs(lastQrAt, event.at, Date.now());
        lastQrAt = event.at;
        return send({ kind: "qr", png: event.png, nextInMs });
      }
      if (event.end === "authorized") return void recheck();
      // Linked before anyone scanned: say so, rather than start session after session.
      if (event.end === "already-authorized") return finish({ kind: "already-linked" });
      send({ kind: "waiting" });
      if (restarts++ < RESTARTS_PER_VIEW) void start();
    };
    const recheck = async () => {
      const record = await links.recordOf(id).catch(() => undefined);
      const view = record ? pageView(record, Date.now()).kind : "gone";
      if (view === "linked") finish({ kind: "linked" });
      else if (view === "gone" || !record || !this.deps.makerMayOperate(record))
        finish({ kind: "gone" });
    };
    const unsubscribe = await channel.subscribe(instance, onEvent);
    try {
      const latest = await channel.latest(instance);
      if (latest?.kind === "qr") onEvent(latest);
      else {
        send({ kind: "waiting" });
        await start();
      }
      while (!finished && !signal.aborted) {
        await sleep(RECHECK_MS, signal);
        if (!signal.aborted) await recheck();
      }
    } finally {
      unsubscribe();
    }
  }
}
