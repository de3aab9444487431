import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditEntry, AuditLog } from "../../../src/audit/audit-log.js";
import { hashLinkId, LinkIdSeal, linkSealKey } from "../../../src/link-page/link-id.js";
import type { LinkRecord, LinkState } from "../../../src/link-page/link-rules.js";
import { LinkService } from "../../../src/link-page/link-service.js";
import { LinkStore } from "../../../src/link-page/link-store.js";
import { createLogger } from "../../../src/shared/logger.js";
import { Redactor } from "../../../src/shared/redact.js";
import { deleteKeysWithPrefix, redisUrl, uniquePrefix } from "../../kit/redis.js";

/** The links' life on a real Redis: expiry told once, revocation, the credit for a linking. */
describe("LinkService", () => {
  const prefix = uniquePrefix("links");
  let redis: Redis;
  let service: LinkService;
  const shown: Array<{ messageId: number; state: LinkState; url?: string }> = [];
  const audited: string[] = [];
  const TTL = 60_000;
  let nextMessage = 1;

  beforeAll(() => {
    redis = new Redis(redisUrl());
    const audit = {
      record: async (entry: Omit<AuditEntry, "at">) =>
        void audited.push(`${entry.instance}: ${entry.result}`),
    } as unknown as AuditLog;
    service = new LinkService(
      {
        store: new LinkStore(redis, prefix),
        seal: new LinkIdSeal(linkSealKey("1:test")),
        screen: {
          show: async (record: LinkRecord, state: LinkState, url: string | undefined) =>
            void shown.push({ messageId: record.messageId, state, ...(url ? { url } : {}) }),
        },
        audit,
        logger: createLogger({ level: "silent", redactor: new Redactor([]) }),
      },
      { ttlMs: TTL, maxPerInstance: 2, publicUrl: "https://x.test", auditIps: false },
    );
  });
  afterAll(async () => {
    redis.disconnect();
    await deleteKeysWithPrefix(prefix);
  });

  async function create(instance: string, now = Date.now()) {
    const messageId = nextMessage++;
    const result = await service.create(
      { instance, userId: 7, chatId: 7, locale: "en" },
      async () => messageId,
      now,
    );
    if (result.kind !== "created") throw new Error("limit");
    return { id: result.url.split("/l/")[1] as string, messageId, url: result.url };
  }

  it("keeps only the id's hash in Redis, and at most LINK_MAX_PER_INSTANCE live links", async () => {
    const { id } = await create("a");
    await create("a");
    const keys = await redis.keys(`${prefix}:*`);
    const values = await Promise.all(
      keys.map(async (k) =>
        (await redis.type(k)) === "string" ? redis.get(k) : redis.zrange(k, "0", "-1"),
      ),
    );
    expect(JSON.stringify([keys, values])).not.toContain(id);
    expect(JSON.stringify(keys)).toContain(hashLinkId(id));
    const third = await service.create(
      { instance: "a", userId: 7, chatId: 7, locale: "en" },
      async () => 0,
    );
    expect(third).toEqual({ kind: "limit", max: 2 });
    expect(audited).toContain("a: refused: limit");
  });

  it("tells the operator once when a link expires, and its page is gone from then on", async () => {
    const start = Date.now();
    const { id, messageId } = await create("b", start);
    expect((await service.view(id, start)).view.kind).toBe("live");
    const ofB = () => shown.filter((s) => s.messageId === messageId);
    await service.sweepExpired(start + TTL - 1);
    expect(ofB()).toEqual([]);
    await service.sweepExpired(start + TTL);
    await service.sweepExpired(start + TTL + 1);
    expect(shown.filter((s) => s.messageId === messageId)).toEqual([
      { messageId, state: "expired" },
    ]);
    expect((await service.view(id, start + TTL)).view).toEqual({ kind: "gone" });
    expect(audited).toContain("b: expired");
  });

  it("credits a linking to an opened link only, and the link dies with it", async () => {
    const opened = await create("c");
    const unopened = await create("c");
    const record = await service.recordOf(opened.id);
    if (!record) throw new Error("no record");
    await service.opened(
      record,
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0) Version/17.0 Safari/604.1",
      "1.2.3.4",
    );
    expect(shown.at(-1)).toEqual({ messageId: opened.messageId, state: "opened", url: opened.url });
    expect(audited).toContain("c: opened (iPhone · Safari)");
    expect(await service.instanceLinked("c", "79001234567")).toBe(true);
    expect(shown.at(-1)).toEqual({ messageId: opened.messageId, state: "linked" });
    expect(audited).toContain("c: linked through the link as +7 900 ···-··-67");
    expect((await service.recordOf(unopened.id))?.linkedAt).toBeUndefined();
    // Dead now: a second linking credits nothing, and a revoke changes nothing.
    expect(await service.instanceLinked("c", undefined)).toBe(false);
    const after = await service.recordOf(opened.id);
    if (!after) throw new Error("no record");
    expect(await service.revoke(after, 7)).toBe(false);
  });

  it("revokes a live link once", async () => {
    const { id, messageId } = await create("d");
    const record = await service.recordOf(id);
    if (!record) throw new Error("no record");
    expect(await service.revoke(record, 7)).toBe(true);
    expect(shown.at(-1)).toEqual({ messageId, state: "revoked" });
    const again = await service.recordOf(id);
    if (!again) throw new Error("no record");
    expect(await service.revoke(again, 7)).toBe(false);
    expect((await service.view(id)).view).toEqual({ kind: "gone" });
  });

  it("changes a link once when two processes apply the same event at once (compare-and-set)", async () => {
    const { id, messageId } = await create("e");
    const copy = await service.recordOf(id);
    if (!copy) throw new Error("no record");
    // Both hold the same stale copy, as two page servers would.
    const results = await Promise.all([
      service.opened(copy, "Mozilla/5.0 (Windows NT 10.0) Chrome/120.0", undefined),
      service.opened(copy, "Mozilla/5.0 (Macintosh; Mac OS X 14) Firefox/120.0", undefined),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(shown.filter((s) => s.messageId === messageId)).toHaveLength(1);
    expect(audited.filter((line) => line.startsWith("e: opened"))).toHaveLength(1);
    expect((await service.recordOf(id))?.rev).toBe(1);
  });
});
