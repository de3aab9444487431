import { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { HistoryStore } from "../../../src/history/history-store.js";
import type { HistoryIncident } from "../../../src/history/incident.js";
import type { StoredMessage } from "../../fakes/fake-telegram.js";
import {
  type Harness,
  OPERATOR,
  SECOND_OPERATOR,
  SHOP,
  startHarness,
} from "../../kit/app-harness.js";
import { buttonsOf, photoMessages, press, textMessages } from "../../kit/chat.js";
import { scanPng } from "../../kit/qr-decode.js";
import { redisUrl } from "../../kit/redis.js";
import { eventually } from "../../kit/wait.js";
import { alertsIn, phonesRemembered, startWatching } from "../alerts/kit.js";

const DAY = 24 * 3_600_000;

function storeOf(h: Harness, redis: Redis): HistoryStore {
  return new HistoryStore(redis, h.config.env.REDIS_PREFIX, {
    keepMs: 90 * DAY,
    maxPerInstance: 1_000,
    gapMs: 60_000,
  });
}

/** RFC 4180 as a spreadsheet reads it: quoted fields, doubled quotes, CRLF rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else field += c;
  }
  return rows;
}

/** A CSV row back into an incident (the columns the README lists). */
function incidentOf(row: Record<string, string>): HistoryIncident {
  return {
    cause: row.cause as HistoryIncident["cause"],
    since: Date.parse(row.started_utc ?? ""),
    end: Date.parse(row.ended_utc ?? ""),
    ...(row.claimed_by ? { claimedBy: row.claimed_by } : {}),
    fix: row.fixed_how as HistoryIncident["fix"],
    ...(row.fixed_by ? { fixedBy: row.fixed_by } : {}),
    escalated: row.escalated === "yes",
  };
}

const newest = (h: Harness, fragment: string, chatId = OPERATOR) =>
  eventually(
    () => textMessages(h, chatId).findLast((m) => m.text?.includes(fragment)),
    `a message containing "${fragment}"`,
  );

describe("/history: incidents, who fixed them and how, uptime", () => {
  let h: Harness;
  let redis: Redis;
  afterEach(async () => {
    redis?.disconnect();
    await h.close();
  });

  it("three logouts fixed by QR, by a pairing code and by themselves: /history shows them with their durations and fixers, and the CSV parses back to the same incidents", async () => {
    // Without the fake GREEN-API's per-second limits the watcher checks every 300 ms: seconds, not tens.
    h = await startWatching({ instances: [SHOP], greenApiRateLimits: false });
    redis = new Redis(redisUrl(), { maxRetriesPerRequest: 1 });
    const shop = h.greenApi.instance(SHOP.idInstance);
    shop.phone = "79001234567";
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/help", firstName: "Ivan" });
    await phonesRemembered(h);
    const bounds: Array<{ from: number; to: number }> = [];
    const edited = (alert: StoredMessage, fragment: string) =>
      eventually(
        () => {
          const now = h.telegram.message(OPERATOR, alert.messageId);
          return now?.text?.includes(fragment) ? now : undefined;
        },
        `the alert edited into "${fragment}"`,
        20_000,
      );

    // 1. Logged out; fixed by the alert's QR.
    let from = Date.now();
    shop.state = "notAuthorized";
    const first = await eventually(() => alertsIn(h)[0], "the first alert");
    press(h, first, "📷 QR");
    // The live QR on the photo, as the operator's phone scans it.
    await eventually(async () => {
      const photo = photoMessages(h)[0]?.photo;
      return photo && (await scanPng(photo))?.includes(SHOP.idInstance);
    }, "a live QR of shop");
    shop.authorize("79001234567");
    await edited(first, "linked by Ivan");
    bounds.push({ from, to: Date.now() });

    // 2. Logged out again; fixed by the one-tap pairing code.
    from = Date.now();
    shop.state = "notAuthorized";
    const second = await eventually(() => alertsIn(h)[1], "the second alert");
    press(h, second, "🔑 Code to +7 900 ···67");
    await newest(h, "Pairing code for shop");
    shop.authorize("79001234567");
    await edited(second, "linked by Ivan");
    bounds.push({ from, to: Date.now() });

    // 3. Logged out once more; back by itself (nobody used greenlight).
    from = Date.now();
    shop.state = "notAuthorized";
    const third = await eventually(() => alertsIn(h)[2], "the third alert");
    shop.authorize("79001234567");
    await edited(third, "recovered");
    bounds.push({ from, to: Date.now() });

    const stored = await eventually(async () => {
      const all = await storeOf(h, redis).incidents("shop");
      return all.length === 3 ? all : undefined;
    }, "three incidents kept");
    // Newest first; each began after its logout and ended before its alert said so.
    stored.forEach((incident, i) => {
      const bound = bounds[2 - i] as { from: number; to: number };
      expect(incident.since).toBeGreaterThanOrEqual(bound.from);
      expect(incident.end).toBeLessThanOrEqual(bound.to);
      expect(incident.end).toBeGreaterThan(incident.since);
    });
    expect(stored.map((i) => [i.cause, i.fix, i.fixedBy])).toEqual([
      ["notAuthorized", "self", undefined],
      ["notAuthorized", "code", "Ivan"],
      ["notAuthorized", "qr", "Ivan"],
    ]);

    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/history shop" });
    const page = await newest(h, "History of shop");
    const lines = page.text?.split("\n") ?? [];
    expect(lines[0]).toBe("📈 History of shop");
    expect(lines[1]).toMatch(
      /^Uptime: 24 h \d+(\.\d\d)? % · 7 d \d+(\.\d\d)? % · 30 d \d+(\.\d\d)? %$/,
    );
    expect(lines[2]).toBe("Mean time to fix: less than a minute");
    expect(lines).toContain("Incidents 1–3 of 3 (newest first, UTC):");
    const incidentLines = lines.filter((line) => line.startsWith("• "));
    expect(incidentLines).toHaveLength(3);
    expect(incidentLines[0]).toMatch(/\(less than a minute\) logged out · fixed: by itself$/);
    expect(incidentLines[1]).toMatch(
      /\(less than a minute\) logged out · fixed by Ivan \(pairing code\)$/,
    );
    expect(incidentLines[2]).toMatch(/\(less than a minute\) logged out · fixed by Ivan \(QR\)$/);
    expect(buttonsOf(page)).toEqual([]);

    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/history" });
    const fleet = await newest(h, "Uptime, worst first");
    expect(fleet.text).toMatch(
      /🟢 shop 7 d \d+(\.\d\d)? % · 30 d \d+(\.\d\d)? % · 3 outages · fix less than a minute/,
    );

    // The CSV, in the asker's private chat: the same incidents, oldest first.
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/history shop csv" });
    const document = await eventually(
      () => h.telegram.messagesIn(OPERATOR).find((m) => m.kind === "document"),
      "the CSV document",
    );
    expect(document.caption).toBe("📄 shop: 3 incidents (UTC).");
    const [header, ...rows] = parseCsv(document.document?.toString("utf8") ?? "");
    expect(header).toEqual([
      "instance",
      "cause",
      "started_utc",
      "ended_utc",
      "duration_s",
      "claimed_by",
      "fixed_how",
      "fixed_by",
      "escalated",
    ]);
    const records = rows.map((row) => Object.fromEntries(row.map((v, i) => [header?.[i], v])));
    expect(records.map((r) => r.instance)).toEqual(["shop", "shop", "shop"]);
    expect(records.map(incidentOf)).toEqual([...stored].reverse());
    for (const r of records) {
      expect(Number(r.duration_s)).toBe(
        Math.round((Date.parse(r.ended_utc ?? "") - Date.parse(r.started_utc ?? "")) / 1000),
      );
    }
  }, 90_000);

  it("pages by editing the same message; a viewer gets no CSV, and nobody gets it in a group", async () => {
    h = await startHarness({
      instances: [{ ...SHOP, viewers: [SECOND_OPERATOR], operators: [OPERATOR] }],
      env: { OPERATOR_IDS: String(OPERATOR), VIEWER_IDS: String(SECOND_OPERATOR) },
    });
    redis = new Redis(redisUrl(), { maxRetriesPerRequest: 1 });
    const store = storeOf(h, redis);
    const now = Date.now();
    for (let n = 0; n < 11; n++) {
      const since = now - (n + 1) * 3_600_000;
      await store.add("shop", {
        cause: "notAuthorized",
        since,
        end: since + 600_000,
        fix: "qr",
        fixedBy: `op${n}`,
        escalated: n === 0,
      });
    }
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/history shop" });
    const page = await newest(h, "History of shop");
    expect(page.text).toContain("Incidents 1–8 of 11 (newest first, UTC):");
    expect(page.text).toContain("fixed by op0 (QR) · escalated");
    expect(buttonsOf(page)).toEqual(["◀ Older"]);

    const answer = press(h, page, "◀ Older");
    const older = await eventually(() => {
      const now = h.telegram.message(OPERATOR, page.messageId);
      return now?.text?.includes("Incidents 9–11 of 11") ? now : undefined;
    }, "the older page in the same message");
    expect(older.text).toContain("fixed by op10 (QR)");
    expect(older.text).not.toContain("fixed by op0 ");
    expect(buttonsOf(older)).toEqual(["Newer ▶"]);
    await eventually(() => h.telegram.answeredCallback(answer), "the press answered");
    expect(h.telegram.answeredCallback(answer)?.params.text).toBe("Page 2 of 2");
    expect(textMessages(h).filter((m) => m.text?.includes("History of shop"))).toHaveLength(1);

    // A viewer sees the history, but the CSV needs an admin of shop.
    h.telegram.userSends({
      chatId: SECOND_OPERATOR,
      fromId: SECOND_OPERATOR,
      text: "/history shop",
    });
    await newest(h, "History of shop", SECOND_OPERATOR);
    h.telegram.userSends({
      chatId: SECOND_OPERATOR,
      fromId: SECOND_OPERATOR,
      text: "/history shop csv",
    });
    const refused = await newest(h, "🔒", SECOND_OPERATOR);
    expect(refused.text).toBe(
      "🔒 You are a viewer of shop: this needs an admin. Ask an admin of this bot.",
    );

    // Asked in a group: the file goes to the private chat, the group hears only where it went.
    const GROUP = -100321;
    h.telegram.userSends({ chatId: GROUP, fromId: OPERATOR, text: "/history shop csv" });
    await newest(h, "The CSV of shop is in your private chat.", GROUP);
    expect(h.telegram.messagesIn(GROUP).some((m) => m.kind === "document")).toBe(false);
    expect(h.telegram.messagesIn(OPERATOR).filter((m) => m.kind === "document")).toHaveLength(1);

    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/history shop pdf" });
    await newest(h, "Usage: /history");
  }, 60_000);
});
