import { afterEach, describe, expect, it } from "vitest";
import type { AlertItem } from "../../../src/alerts/watch-state.js";
import { PAGE_LINES, renderDigestPage } from "../../../src/telegram/alert-view.js";
import { digestCallbacks } from "../../../src/telegram/callback-data.js";
import { textsFor } from "../../../src/telegram/i18n/index.js";
import {
  type Harness,
  OPERATOR,
  SECOND_OPERATOR,
  startHarness,
  type TestInstance,
} from "../../kit/app-harness.js";
import type { StoredMessage } from "../../fakes/fake-telegram.js";
import { buttonData, buttonsOf } from "../../kit/chat.js";
import { eventually } from "../../kit/wait.js";

/**
 * "Show all" on a mass-incident digest (issue #14): 200 instances log out at once, each reader's
 * private chat gets one digest, and its pager walks through every instance the reader may see,
 * with working buttons for those they may link; a viewer pages without linking buttons. Telegram's
 * limits are on at the fake and paced as in production: no 429.
 */

const ADMIN = 3003;
const VIEWER = 3001;
const PAGES = 10;

const plain = (html = "") => html.replace(/<[^>]+>/g, "");
const namesOn = (message: StoredMessage | undefined) =>
  [...plain(message?.text).matchAll(/\bshop\d+\b/g)].map((m) => m[0]);
const callbackData = (message: StoredMessage | undefined) =>
  (
    (message?.replyMarkup as { inline_keyboard?: Array<Array<{ callback_data?: string }>> })
      ?.inline_keyboard ?? []
  )
    .flat()
    .map((button) => button.callback_data ?? "");

describe("the pager's buttons and pages (pure)", () => {
  it.each([
    ["dg:all", { action: "all" }],
    ["dg:page:4242:3", { action: "page", digest: 4242, page: 3 }],
    ["dg:page:4242:0", { action: "page", digest: 4242, page: 0 }],
    ["dg:all:shop", undefined],
    ["dg:page:4242", undefined],
    ["dg:page:4242:-1", undefined],
    ["dg:page:0:1", undefined],
    ["dg:page:4242:1e3", undefined],
    ["dg:page:4242:3:x", undefined],
    ["dg:next:4242:3", undefined],
    [`dg:page:4242:${"9".repeat(60)}`, undefined],
  ] as const)("%s", (data, decoded) => {
    expect(digestCallbacks.decode(data)).toEqual(decoded);
    if (decoded) expect(digestCallbacks.encode(decoded)).toBe(data);
  });

  const t = textsFor("en");
  const items: AlertItem[] = Array.from({ length: 45 }, (_, i) => ({
    kind: "down",
    instance: `shop${String(i).padStart(2, "0")}`,
    state: "notAuthorized",
    since: 0,
    initial: false,
  }));
  const data = (page: ReturnType<typeof renderDigestPage>) =>
    page.keyboard.inline_keyboard.flat().map((b) => ("callback_data" in b ? b.callback_data : ""));

  it("cuts the list into pages with ◀ ▶, buttons only for what the reader may link", () => {
    const first = renderDigestPage(items, 0, t, () => true, 77);
    expect(first.pages).toBe(3);
    expect(plain(first.text).split("\n")).toHaveLength(1 + PAGE_LINES);
    expect(data(first)).toContain("qr:start:shop00");
    expect(data(first)).not.toContain("qr:start:shop20");
    expect(data(first).at(-1)).toBe("dg:page:77:1");
    const last = renderDigestPage(items, 99, t, (name) => name !== "shop44", 77);
    expect(last.page).toBe(2);
    expect(namesOn({ text: last.text } as StoredMessage)).toEqual([
      "shop40",
      "shop41",
      "shop42",
      "shop43",
      "shop44",
    ]);
    expect(data(last)).not.toContain("qr:start:shop44");
    expect(data(last)).toContain("qr:start:shop43");
    expect(data(last).at(-1)).toBe("dg:page:77:1");
    const none = renderDigestPage(items, 1, t, () => false, 77);
    expect(data(none)).toEqual(["dg:page:77:0", "dg:page:77:2"]);
    expect(renderDigestPage([], 0, t, () => true, 77).text).toBe(t.alerts.pager.empty);
  });
});

describe("the digest's Show all pager", () => {
  let h: Harness;
  afterEach(async () => h.close());

  it(
    "pages through all 200 instances with working buttons; a viewer pages without them",
    { timeout: 60_000 },
    async () => {
      const fleet: TestInstance[] = Array.from({ length: 200 }, (_, i) => ({
        name: `shop${i}`,
        idInstance: String(1103000000 + i),
        apiTokenInstance: `token${i}`.padEnd(50, "0"),
        // One instance is private to another operator: the viewer must not see it.
        ...(i === 199 ? { operators: [SECOND_OPERATOR] } : {}),
      }));
      h = await startHarness({
        start: false,
        instances: fleet,
        telegramRateLimits: true,
        env: {
          STATE_POLL_INTERVAL_MS: "1000",
          GREEN_API_REQUESTS_PER_SECOND: "0",
          GREEN_API_TIMEOUT_MS: "5000",
          ADMIN_IDS: String(ADMIN),
          VIEWER_IDS: String(VIEWER),
          TELEGRAM_BOT_SENDS_PER_SECOND: "28",
          TELEGRAM_GROUP_SENDS_PER_MINUTE: "19",
          TELEGRAM_PRIVATE_SENDS_PER_SECOND: "1",
        },
      });
      h.telegram.userStartedBot(ADMIN);
      h.telegram.userStartedBot(VIEWER);
      for (const instance of fleet) {
        const fake = h.greenApi.instance(instance.idInstance);
        fake.state = "authorized";
        // No number to remember (getWaSettings answers none), so every Code button asks for one
        // whenever the watcher's refresh runs; remembered numbers: test/e2e/fixes/remembered-phone.
        fake.phone = "";
      }
      await h.app.start();
      await eventually(
        () => fleet.every((i) => h.greenApi.callsOf("getStateInstance", i.idInstance).length > 0),
        "a first check of every instance",
        15_000,
      );
      for (const instance of fleet)
        h.greenApi.instance(instance.idInstance).state = "notAuthorized";

      const digestIn = (chatId: number) => h.telegram.messagesIn(chatId)[0];
      for (const [chatId, count] of [
        [ADMIN, 200],
        [VIEWER, 199],
      ] as const) {
        await eventually(
          () => plain(digestIn(chatId)?.text).startsWith(`🔴 ${count} instances need attention`),
          `the digest for ${chatId} listing ${count}`,
          40_000,
        );
        expect(h.telegram.messagesIn(chatId)).toHaveLength(1);
      }
      // The admin's digest: buttons for the first 10, then Show all; the viewer's: Show all only.
      expect(buttonsOf(digestIn(ADMIN))).toHaveLength(21);
      expect(buttonsOf(digestIn(ADMIN)).at(-1)).toBe("📜 Show all");
      expect(buttonsOf(digestIn(VIEWER))).toEqual(["📜 Show all"]);

      /** Presses a button and waits until the bot has answered the press. */
      const press = async (chatId: number, message: StoredMessage | undefined, label: string) => {
        if (!message) throw new Error("no message to press on");
        const { callbackQueryId } = h.telegram.userPresses({
          chatId,
          fromId: chatId,
          messageId: message.messageId,
          data: buttonData(message, label),
        });
        await eventually(
          () => h.telegram.answeredCallback(callbackQueryId) !== undefined,
          `the answer to "${label}"`,
        );
        return String(h.telegram.answeredCallback(callbackQueryId)?.params.text ?? "");
      };
      const pagerIn = (chatId: number) =>
        h.telegram
          .messagesIn(chatId)
          .find((message) => plain(message.text).startsWith("📜 All instances"));

      // The admin walks the pager page by page: every name once, each page's buttons its own.
      expect(await press(ADMIN, digestIn(ADMIN), "📜 Show all")).toBe("Page 1 of 10");
      await eventually(() => pagerIn(ADMIN) !== undefined, "the pager's first page");
      const seen: string[] = [];
      for (let page = 1; page <= PAGES; page += 1) {
        const pager = pagerIn(ADMIN);
        expect(plain(pager?.text).split("\n")[0]).toBe(
          `📜 All instances of this alert (200), page ${page} of ${PAGES}`,
        );
        const names = namesOn(pager);
        expect(names).toHaveLength(20);
        seen.push(...names);
        const data = callbackData(pager);
        for (const name of names) {
          expect(data).toContain(`qr:start:${name}`);
          expect(data).toContain(`code:ask:${name}`);
        }
        expect(buttonsOf(pager).includes("◀")).toBe(page > 1);
        expect(buttonsOf(pager).includes("▶")).toBe(page < PAGES);
        if (page === PAGES) break;
        const edits = pager?.editCount ?? 0;
        await press(ADMIN, pager, "▶");
        await eventually(() => (pagerIn(ADMIN)?.editCount ?? 0) > edits, `page ${page + 1}`);
      }
      expect(new Set(seen)).toEqual(new Set(fleet.map((i) => i.name)));

      // A button on the last page works: the pairing-code prompt for that instance.
      const last = namesOn(pagerIn(ADMIN)).at(-1) ?? "";
      await press(ADMIN, pagerIn(ADMIN), `🔑 Code ${last}`);
      await eventually(
        () =>
          h.telegram
            .messagesIn(ADMIN)
            .some((m) =>
              plain(m.text).includes(`phone number of the WhatsApp account to link to ${last}`),
            ),
        `the code prompt for ${last}`,
      );
      // And back one page: ◀ works too.
      await press(ADMIN, pagerIn(ADMIN), "◀");
      await eventually(
        () => plain(pagerIn(ADMIN)?.text).includes(`page ${PAGES - 1} of ${PAGES}`),
        "back to page 9",
      );

      // The viewer: only what they may see (199), and paging is all their buttons do.
      expect(await press(VIEWER, digestIn(VIEWER), "📜 Show all")).toBe("Page 1 of 10");
      await eventually(() => pagerIn(VIEWER) !== undefined, "the viewer's first page");
      expect(plain(pagerIn(VIEWER)?.text).split("\n")[0]).toBe(
        "📜 All instances of this alert (199), page 1 of 10",
      );
      expect(buttonsOf(pagerIn(VIEWER))).toEqual(["▶"]);
      await press(VIEWER, pagerIn(VIEWER), "▶");
      await eventually(
        () => plain(pagerIn(VIEWER)?.text).includes("page 2 of 10"),
        "the viewer's page 2",
      );
      expect(buttonsOf(pagerIn(VIEWER))).toEqual(["◀", "▶"]);
      expect(namesOn(pagerIn(VIEWER))).toHaveLength(20);

      // The digest itself is per reader too: an operator who cannot see shop199 hears of 199.
      expect(h.telegram.messagesIn(OPERATOR)[0]?.text).toMatch(/199 instances need attention/);
      expect(h.telegram.calls.filter((c) => c.errorCode === 429)).toEqual([]);
    },
  );
});
