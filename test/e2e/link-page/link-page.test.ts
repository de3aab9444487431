import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type Harness,
  OPERATOR,
  SHOP,
  STRANGER,
  SUPPORT,
  startHarness,
} from "../../kit/app-harness.js";
import { auditedResults } from "../../kit/audit.js";
import { signInitData } from "../../../src/link-page/mini-app-auth.js";
import { buttonsOf, photoMessages, press, textMessages, waitForQr } from "../../kit/chat.js";
import { scanPng } from "../../kit/qr-decode.js";
import { eventually } from "../../kit/wait.js";
import { openStream, type SseReader } from "./sse-client.js";

/**
 * /link end to end: the operator's message, the public page and its stream against the fakes,
 * with the real QR session feeding both (one poller), and what a stranger on the internet gets.
 */
const VIEWER = 3001;

describe("/link: a live QR page for whoever holds the phone", () => {
  let h: Harness;
  let base: string;
  const secrets = [
    SHOP.apiTokenInstance,
    SHOP.idInstance,
    SUPPORT.apiTokenInstance,
    SUPPORT.idInstance,
  ];

  beforeAll(async () => {
    h = await startHarness({
      qrRotateMs: 3_600_000,
      env: {
        HTTP_PORT: "0",
        PUBLIC_URL: "https://link.example.org/",
        LINK_MAX_PER_INSTANCE: "2",
        // The test's own requests come from loopback, "the proxy".
        TRUSTED_PROXIES: "127.0.0.1",
        VIEWER_IDS: String(VIEWER),
      },
    });
    base = `http://127.0.0.1:${h.app.httpPort()}`;
  });
  afterAll(async () => h?.close());

  /** Sends /link shop and returns the link's path and its message. */
  async function newLink(instance = "shop") {
    const before = textMessages(h).length;
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: `/link ${instance}` });
    const message = await eventually(
      () =>
        textMessages(h)
          .slice(before)
          .find((m) => m.text?.startsWith("🔗 Link for")),
      "the link message",
    );
    const match = /https:\/\/link\.example\.org(\/l\/[A-Za-z0-9_-]{22})\n/.exec(message.text ?? "");
    if (!match?.[1]) throw new Error(`no link in ${message.text}`);
    return { path: match[1], message };
  }

  const messageNow = (messageId: number) => h.telegram.message(OPERATOR, messageId);

  function expectNoSecret(text: string) {
    for (const secret of secrets) expect(text).not.toContain(secret);
  }

  function expectSafeHeaders(headers: Headers) {
    expect(headers.get("cache-control")).toBe("no-store");
    expect(headers.get("referrer-policy")).toBe("no-referrer");
    expect(headers.get("x-frame-options")).toBe("DENY");
    expect(headers.get("content-security-policy")).toContain("script-src 'self'");
    expect(headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expectNoSecret(JSON.stringify([...headers.entries()]));
  }

  it("shows the live QR of the one session, follows its rotation, and ends with ✅ in both places", async () => {
    const shop = h.greenApi.instance(SHOP.idInstance);
    const { path, message } = await newLink();
    expect(message.text).toContain("Valid until");
    expect(buttonsOf(message)).toEqual(["🔗 Share", "⛔ Revoke", "🔄 New link"]);

    const page = await fetch(`${base}${path}`, { headers: { "accept-language": "ru,en;q=0.5" } });
    expect(page.status).toBe(200);
    expectSafeHeaders(page.headers);
    const html = await page.text();
    expect(html).toContain("Привяжите WhatsApp к «shop»");
    expect(html).not.toMatch(/<script>|<script [^s]|\son[a-z]+=/);
    expectNoSecret(html);
    await eventually(
      () => messageNow(message.messageId)?.text?.includes("👀 Opened at"),
      "“opened”",
    );

    const stream: SseReader = await openStream(`${base}${path}/events`);
    expectSafeHeaders(stream.headers);
    const qrEvent = async (payload: string) =>
      eventually(async () => {
        for (const event of stream.events) {
          if (
            event.kind === "qr" &&
            (await scanPng(Buffer.from(event.png ?? "", "base64"))) === payload
          )
            return event;
        }
        return undefined;
      }, `a QR event scanning to ${payload}`);
    const first = await qrEvent(shop.currentQrPayload());
    expect(first.nextInMs).toBeGreaterThan(0);
    // The session runs in the maker's private chat: the page has no poller of its own.
    const rotated = shop.rotateQr();
    await qrEvent(rotated);

    shop.authorize("79001234567");
    await eventually(() => stream.events.some((e) => e.kind === "linked"), "the linked event");
    await stream.ended;
    expectNoSecret(stream.raw);
    expect(stream.raw).not.toContain("79001234567");
    const done = await eventually(
      () => messageNow(message.messageId)?.text?.includes("✅") && messageNow(message.messageId),
      "the ✅ line",
    );
    expect(done.text).toMatch(/✅ shop linked through the link, as \+7 900 ···-··-67, \d\d:\d\d/);
    expect(done.text).toContain("no longer valid");
    expect(buttonsOf(done)).toEqual(["🔄 New link"]);
    expect(await auditedResults(h)).toEqual(
      expect.arrayContaining([
        "link: created",
        expect.stringMatching(/^link: opened \(/),
        expect.stringMatching(/^link: linked through the link as \+7 900/),
      ]),
    );
    // One QR poller per instance, whoever watches: at most GREEN-API's 3 calls a second.
    expect(h.greenApi.callsOf("qr", SHOP.idInstance).length).toBeGreaterThan(0);
    expect(h.greenApi.calls.filter((c) => c.status === 429)).toEqual([]);
  });

  it("says 'already linked' when the instance is linked before anyone scans: no dead end", async () => {
    const shop = h.greenApi.instance(SHOP.idInstance);
    if (shop.state !== "authorized") shop.authorize("79001234567");
    const { path, message } = await newLink("shop");
    const stream = await openStream(`${base}${path}/events`);
    await stream.ended;
    expect(stream.events.at(-1)).toEqual({ kind: "already-linked" });
    expect(stream.events.filter((e) => e.kind === "qr")).toEqual([]);
    // Not linked through it: the link lives on until revoked (here, to keep within the limit).
    press(h, message, "⛔ Revoke");
    await eventually(() => messageNow(message.messageId)?.text?.includes("⛔ Revoked"), "revoked");
  });

  it("answers a revoked link and an unknown id with the same 404, naming nothing", async () => {
    const { path, message } = await newLink("support");
    press(h, message, "⛔ Revoke");
    await eventually(
      () => messageNow(message.messageId)?.text?.includes("⛔ Revoked at"),
      "“revoked”",
    );
    const revoked = await fetch(`${base}${path}`);
    const unknown = await fetch(`${base}/l/AAAAAAAAAAAAAAAAAAAAAA`);
    const malformed = await fetch(`${base}/l/../../etc/passwd`);
    expect([revoked.status, unknown.status, malformed.status]).toEqual([404, 404, 404]);
    const [a, b] = [await revoked.text(), await unknown.text()];
    expect(a).toBe(b);
    expect(a).toContain("This link is no longer valid.");
    expect(a).not.toContain("support");
    expectSafeHeaders(revoked.headers);
    expect((await openStream(`${base}${path}/events`)).status).toBe(404);
  });

  it("gives a pairing code on the page, shares /code's cooldown, and refuses POSTs without the CSRF token", async () => {
    const shop = h.greenApi.instance(SHOP.idInstance);
    if (shop.state === "authorized") shop.logout();
    const { path, message } = await newLink("shop");
    const html = await (await fetch(`${base}${path}`)).text();
    const csrf = /<meta name="csrf" content="([^"]+)">/.exec(html)?.[1] ?? "";
    expect(csrf).not.toBe("");
    expect(html).toContain("Link with phone number instead");
    const post = (headers: Record<string, string>, body: unknown = { phone: "+7 900 123-45-67" }) =>
      fetch(`${base}${path}/code`, { method: "POST", headers, body: JSON.stringify(body) });
    const json = { "content-type": "application/json" };
    const codeCalls = () => h.greenApi.callsOf("getAuthorizationCode", SHOP.idInstance).length;

    // Refused, and nothing asked of GREEN-API: no token, a wrong one, another site, a form post.
    expect((await post(json)).status).toBe(403);
    expect((await post({ ...json, "x-csrf-token": `${csrf.slice(1)}x` })).status).toBe(403);
    expect(
      (await post({ ...json, "x-csrf-token": csrf, "sec-fetch-site": "cross-site" })).status,
    ).toBe(403);
    expect((await post({ "content-type": "text/plain", "x-csrf-token": csrf })).status).toBe(403);
    expect(codeCalls()).toBe(0);

    const ok = { ...json, "x-csrf-token": csrf };
    const bad = await (await post(ok, { phone: "12", country: "RU" })).json();
    expect(bad).toEqual({ kind: "bad-number", reason: "too-short" });
    const issued = await post(ok, { phone: "8 900 123-45-67", country: "RU" });
    expect(issued.status).toBe(200);
    expectSafeHeaders(issued.headers);
    const answer = (await issued.json()) as { kind: string; code?: string };
    expect(answer.kind).toBe("code");
    expect(answer.code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    expect(JSON.stringify(answer)).not.toContain("9001234567");
    await eventually(
      () => messageNow(message.messageId)?.text?.includes("🔢 A pairing code was requested"),
      "“code requested” on the operator's message",
    );
    // The cooldown is /code's own: the page cannot ask again at once, nor can /code.
    const again = (await (await post(ok)).json()) as { kind: string };
    expect(again.kind).toBe("cooldown");
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/code shop +79001234567" });
    await eventually(
      () =>
        textMessages(h).some((m) => m.text?.includes("A code for shop was requested moments ago")),
      "/code in its cooldown",
    );
    expect(codeCalls()).toBe(1);
    expect(await auditedResults(h)).toContain("link: code requested");
  });

  it("refuses a link beyond LINK_MAX_PER_INSTANCE live ones", async () => {
    await newLink("support");
    await newLink("support");
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/link support" });
    await eventually(
      () => textMessages(h).some((m) => m.text?.startsWith("⛔ support already has 2 live links")),
      "the limit",
    );
  });

  it("turns an address away after too many unknown ids, even with a good one", async () => {
    const { path } = await newLink("shop");
    // From the trusted proxy: the rightmost address it did not add is the visitor's, whatever
    // the visitor wrote to the left of it.
    const from = (forged: number) => ({ "x-forwarded-for": `10.9.9.${forged}, 203.0.113.7` });
    const statuses: number[] = [];
    for (let i = 0; i < 21; i++) {
      const id = `guess${String(i).padStart(17, "0")}`;
      statuses.push((await fetch(`${base}/l/${id}`, { headers: from(i) })).status);
    }
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(404));
    expect(statuses[20]).toBe(429);
    const good = await fetch(`${base}${path}`, { headers: from(99) });
    expect(good.status).toBe(429);
    expect(good.headers.get("retry-after")).toBe("60");
    // Another address is not held back by this one's guesses.
    const other = await fetch(`${base}${path}`, { headers: { "x-forwarded-for": "203.0.113.8" } });
    expect(other.status).toBe(200);
  });

  it("🔍 Full screen: the live QR inside Telegram for an operator; forged, stale, viewer, stranger refused", async () => {
    const support = h.greenApi.instance(SUPPORT.idInstance);
    h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text: "/qr support" });
    const photo = await waitForQr(h, support.currentQrPayload());
    expect(buttonsOf(photo)).toEqual(["✖️ Cancel", "🔍 Full screen"]);
    const markup = photo.replyMarkup as {
      inline_keyboard: Array<Array<{ web_app?: { url: string } }>>;
    };
    expect(markup.inline_keyboard.flat().find((b) => b.web_app)?.web_app?.url).toBe(
      "https://link.example.org/m/support",
    );
    const page = await fetch(`${base}/m/support`);
    expect(page.status).toBe(200);
    expect(page.headers.get("x-frame-options")).toBeNull();
    expect(page.headers.get("content-security-policy")).toContain(
      "frame-ancestors https://web.telegram.org",
    );
    expectNoSecret(await page.text());

    const now = String(Math.floor(Date.now() / 1000));
    const initData = (userId: number, authDate = now, token = h.telegram.token) =>
      signInitData(
        { auth_date: authDate, user: JSON.stringify({ id: userId, first_name: "A" }) },
        token,
      );
    const auth = (data: string) =>
      fetch(`${base}/m/support/auth`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ initData: data }),
      });
    const stale = String(Math.floor(Date.now() / 1000) - 2 * 3600);
    expect((await auth(initData(OPERATOR, now, "999:forged-token"))).status).toBe(403);
    expect((await auth(initData(OPERATOR, stale))).status).toBe(403);
    expect((await auth(initData(VIEWER))).status).toBe(403);
    expect((await auth(initData(STRANGER))).status).toBe(403);
    const gone = await openStream(`${base}/m/support/events?t=AAAAAAAAAAAAAAAAAAAAAA`);
    await gone.ended;
    expect(gone.events).toEqual([{ kind: "gone" }]);
    // A stranger cannot tell a known instance's name from an unknown one: same answers.
    expect((await fetch(`${base}/m/no-such-shop`)).status).toBe(page.status);
    const unknownAuth = await fetch(`${base}/m/no-such-shop/auth`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ initData: initData(OPERATOR) }),
    });
    expect(unknownAuth.status).toBe(403);
    const unknownStream = await openStream(
      `${base}/m/no-such-shop/events?t=AAAAAAAAAAAAAAAAAAAAAA`,
    );
    await unknownStream.ended;
    expect(unknownStream.events).toEqual([{ kind: "gone" }]);

    const granted = await auth(initData(OPERATOR));
    expect(granted.status).toBe(200);
    const { token } = (await granted.json()) as { token: string };
    const view = await openStream(`${base}/m/support/events?t=${encodeURIComponent(token)}`);
    await eventually(async () => {
      for (const event of view.events) {
        if (event.kind !== "qr") continue;
        if ((await scanPng(Buffer.from(event.png ?? "", "base64"))) === support.currentQrPayload())
          return true;
      }
      return undefined;
    }, "the QR in the Mini App");
    // The token opened that stream and is spent: the same URL again (a proxy's log) shows nothing.
    const replay = await openStream(`${base}/m/support/events?t=${encodeURIComponent(token)}`);
    await replay.ended;
    expect(replay.events).toEqual([{ kind: "gone" }]);
    // It ends with the session: Cancel in the chat closes the view.
    press(h, photoMessages(h).find((m) => m.messageId === photo.messageId) ?? photo, "✖️ Cancel");
    await view.ended;
    expect(view.events.at(-1)).toEqual({ kind: "gone" });
    expectNoSecret(view.raw);
  });
});
