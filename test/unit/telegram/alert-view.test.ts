import { describe, expect, it } from "vitest";
import type { AlertItem } from "../../../src/alerts/watch-state.js";
import type { StateInstance } from "../../../src/green-api/schemas.js";
import { closureLines, renderAlert } from "../../../src/telegram/alert-view.js";
import { textsFor } from "../../../src/telegram/i18n/index.js";

const DAY = 24 * 3_600_000;

describe("alert text", () => {
  it("renders in Russian too, with the same buttons", () => {
    const shop = {
      kind: "down" as const,
      instance: "shop",
      state: "notAuthorized" as const,
      since: 0,
      initial: false,
    };
    const ru = renderAlert([shop], textsFor("ru"));
    expect(ru.text).toContain("shop</b>: вышел из аккаунта");
    expect(ru.keyboard.inline_keyboard.flat().map((b) => b.text)).toEqual([
      "📷 QR",
      "🔑 Код привязки",
    ]);
    const blocked = renderAlert([{ ...shop, state: "blocked" as const }], textsFor("en"));
    expect(blocked.text).toContain("banned by WhatsApp");
    expect(blocked.keyboard.inline_keyboard).toEqual([]);
  });

  it("stays within Telegram's 4096 characters and 100 buttons for many instances", () => {
    const many = Array.from({ length: 300 }, (_, i) => ({
      kind: "down" as const,
      instance: `instance-${i}-with-a-long-name`,
      state: "notAuthorized" as const,
      since: 0,
      initial: false,
    }));
    const view = renderAlert(many, textsFor("en"));
    expect(view.text.length).toBeLessThan(4096);
    expect(view.text).toContain("…and 260 more");
    expect(view.keyboard.inline_keyboard.flat().length).toBeLessThanOrEqual(100);
  });
});

describe("a stuck send queue's alert", () => {
  const stuck: AlertItem = {
    kind: "stuck",
    instance: "shop",
    state: undefined,
    since: 0,
    initial: false,
    queued: 12,
    waitedMs: 17 * 60_000,
  };
  const buttons = (view: ReturnType<typeof renderAlert>) =>
    view.keyboard.inline_keyboard.flat().map((b) => b.text);

  it("says how many messages wait and how long, with Reboot; only Reboot, never QR or Code", () => {
    const en = renderAlert([stuck], textsFor("en"));
    expect(en.text).toMatch(
      /^📤 <b>shop<\/b> says authorized but 12 messages have waited for 17 min\n\n/,
    );
    expect(en.text).toContain("tap Reboot");
    expect(buttons(en)).toEqual(["🔁 Reboot"]);
    const ru = renderAlert([stuck], textsFor("ru"));
    expect(ru.text).toContain("<b>shop</b> в статусе authorized, но сообщений в очереди: 12");
    expect(buttons(ru)).toHaveLength(1);
  });

  it("once the queue moves: a green line and no buttons; a viewer never gets Reboot", () => {
    const moving = renderAlert([{ ...stuck, endedAt: 20 * 60_000 }], textsFor("en"));
    expect(moving.text).toBe("✅ <b>shop</b>'s queue is moving again (after 20 min)");
    expect(buttons(moving)).toEqual([]);
    expect(buttons(renderAlert([stuck], textsFor("en"), () => false))).toEqual([]);
  });
});

describe("alert text and buttons per state", () => {
  const t = textsFor("en");
  const down = (state: StateInstance, extra: Partial<AlertItem> = {}): AlertItem => ({
    kind: "down",
    instance: "shop",
    state,
    since: Date.UTC(2026, 0, 1, 3, 0),
    initial: false,
    ...extra,
  });
  const buttons = (item: AlertItem) =>
    renderAlert([item], t).keyboard.inline_keyboard.map((row) =>
      row.map((button) => ("url" in button ? `${button.text} → ${button.url}` : button.text)),
    );

  it.each([
    ["notAuthorized", {}, [["📷 QR", "🔑 Pairing code"]]],
    [
      "notAuthorized",
      { phone: "79001234567" },
      [["📷 QR", "🔑 Code to +7 900 ···67"], ["📞 Another number"]],
    ],
    ["starting", {}, [["🔁 Reboot"]]],
    [
      "yellowCard",
      {},
      [["🔁 Reboot", "ℹ️ What is yellowCard? → https://green-api.com/en/docs/faq/yellowCard/"]],
    ],
    ["blocked", {}, []],
    ["sleepMode", {}, []],
    ["suspended", {}, []],
  ] as const)("%s %j: %j", (state, extra, expected) => {
    expect(buttons(down(state, extra))).toEqual(expected);
  });

  it("says what each state needs, and what no button can fix", () => {
    const text = (state: StateInstance) => renderAlert([down(state)], t).text;
    expect(text("blocked")).toContain("No button here can fix that");
    expect(text("sleepMode")).toContain("No QR is needed");
    expect(text("yellowCard")).toContain("reboot the instance");
    expect(text("starting")).toContain("reboot, then a check after a couple of minutes");
  });

  it("an auto reboot, a claim and a closure show on the alert", () => {
    const at = Date.UTC(2026, 0, 1, 3, 6);
    const auto = renderAlert([down("starting", { autoRebootAt: at, claimedBy: "Ivan" })], t).text;
    expect(auto).toMatch(/🔁 Stuck starting: greenlight rebooted it at \d\d:\d\d/);
    expect(auto).toContain("👤 Ivan is on it");
    const linked = renderAlert(
      [down("notAuthorized", { endedAt: at + 11 * 60_000, linkedBy: "Ivan <b>" })],
      t,
    );
    expect(linked.text).toMatch(
      /^✅ <b>shop<\/b> linked by Ivan &lt;b&gt; at \d\d:\d\d \S+ \(down 17 min\)$/,
    );
    expect(linked.keyboard.inline_keyboard).toEqual([]);
  });

  it("an offline warning says what greenlight saw (the phone's last message), how long ago, and what WhatsApp does after 14 days", () => {
    const view = renderAlert(
      [{ kind: "offline", instance: "shop", since: 0, initial: false, offlineForMs: 10 * DAY }],
      t,
    );
    expect(view.text).toMatch(
      /^📵 No message sent from <b>shop<\/b>'s phone for 10 d \(the last one greenlight saw: .+\)\. WhatsApp unlinks an instance whose phone stays offline about 14 days\. If the phone is off or has no internet, bring it online and open WhatsApp/,
    );
    expect(view.keyboard.inline_keyboard).toEqual([]);
  });

  it("closure lines: who, when, the backlog (or none)", () => {
    expect(closureLines(undefined, t)).toEqual([]);
    const lines = closureLines({ by: "Ivan", at: 0, queued: { count: 1 } }, t);
    expect(lines[0]).toMatch(/^👤 Linked by Ivan at /);
    expect(lines[1]).toBe(
      "📤 1 message GREEN-API queued while it was down is going out now. GREEN-API keeps queued messages for 24 h.",
    );
    expect(closureLines({ at: 0, queued: { count: 0 } }, t)).toEqual([
      "📭 No messages were waiting in GREEN-API's queue.",
    ]);
  });
});
