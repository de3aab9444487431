import { afterEach, describe, expect, it } from "vitest";
import { type Harness, OPERATOR, SHOP, SUPPORT, startHarness } from "../../kit/app-harness.js";
import { textMessages, waitForText } from "../../kit/chat.js";
import { eventually, pause } from "../../kit/wait.js";

const DAY = 86_400_000;
/** GREEN-API's format: a date-time without a zone. */
/** As getInstances writes a date: no zone, on GREEN-API's billing clock (UTC+3). */
const greenApiDate = (ms: number) => new Date(ms + 3 * 3_600_000).toISOString().slice(0, 19);
/** The same date as greenlight shows it: GREEN-API's console clock, said. */
const consoleDate = (ms: number) => `${greenApiDate(ms).slice(0, 16).replace("T", " ")} UTC+3`;

const ask = (h: Harness, text: string) =>
  h.telegram.userSends({ chatId: OPERATOR, fromId: OPERATOR, text });

/** Bot messages in the operator's chat containing `fragment`. */
const said = (h: Harness, fragment: string) =>
  textMessages(h).filter((message) => message.text?.includes(fragment));

describe("fleets: instances from a GREEN-API partner token", () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it("an instance whose getInstances entry names its own apiUrl is called there (undocumented field, read when present); /status says which host each uses", async () => {
    h = await startHarness({
      start: false,
      instances: [],
      partner: { withFile: false },
      env: { PARTNER_SYNC_INTERVAL_MS: "60000" },
    });
    const fake = h.greenApi;
    const ownHost = await fake.alsoListen();
    fake.addAccountInstance({
      idInstance: 1101000021,
      apiTokenInstance: "k".repeat(50),
      name: "own",
      state: "authorized",
      apiUrl: ownHost,
    });
    fake.addAccountInstance({
      idInstance: 1101000022,
      apiTokenInstance: "l".repeat(50),
      name: "plain",
      state: "authorized",
    });
    await h.app.start();
    ask(h, "/status own");
    const own = await waitForText(h, "📋 own");
    expect(own.text).toContain(`🌐 Called on ${new URL(ownHost).host}`);
    ask(h, "/status plain");
    const plain = await waitForText(h, "📋 plain");
    expect(plain.text).toContain(`🌐 Called on ${new URL(fake.apiUrl).host}`);
    const calls = fake.callsOf("getStateInstance", 1101000021);
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((call) => call.apiUrl === ownHost)).toBe(true);
    expect(
      fake.callsOf("getStateInstance", 1101000022).every((c) => c.apiUrl === fake.apiUrl),
    ).toBe(true);
  });

  it("starts with only a partner token: account instances appear, named, and removals are told once", async () => {
    h = await startHarness({
      start: false,
      instances: [],
      partner: { withFile: false },
      env: { PARTNER_SYNC_INTERVAL_MS: "1000" },
    });
    const fake = h.greenApi;
    fake.addAccountInstance({
      idInstance: 1101000011,
      apiTokenInstance: "a".repeat(50),
      name: "Shop #2 (Moscow)",
      state: "authorized",
    });
    fake.addAccountInstance({
      idInstance: 1101000012,
      apiTokenInstance: "b".repeat(50),
      name: "Склад",
    });
    fake.addAccountInstance({
      idInstance: 1101000013,
      apiTokenInstance: "c".repeat(50),
      name: "old",
      deleted: true,
    });
    fake.addAccountInstance({
      idInstance: 1101000014,
      apiTokenInstance: "d".repeat(50),
      name: "tg",
      typeInstance: "telegram",
    });
    await h.app.start();

    const news = await waitForText(h, "new instances");
    expect(news.text).toBe(
      "🆕 2 new instances in the GREEN-API account: shop-2-moscow, i1101000012",
    );
    ask(h, "/status");
    const status = await waitForText(h, "Instances");
    expect(status.text).toContain("shop-2-moscow — ✅ authorized");
    // getInstances says "2027-01-10T09:00:00", no zone: GREEN-API's billing clock, shown as such.
    expect(status.text).toContain("💳 paid until 2027-01-10 09:00 UTC+3");
    expect(status.text).toContain("i1101000012 — ⚠️ not authorized");
    expect(status.text).not.toMatch(/old|tg/);

    ask(h, "/instances");
    const list = await waitForText(h, "📒");
    expect(list.text).toContain("2 instances (2 from the GREEN-API account)");
    expect(list.text).toContain("shop-2-moscow · 1101000011 · account · paid until 2027-01-10");

    // Deleted in the account: told once, whatever the number of syncs after.
    const entry = fake.partner.instances.find((i) => i.idInstance === 1101000012);
    if (entry) entry.deleted = true;
    await eventually(() => said(h!, "1 removed").length === 1, "the removal notice");
    await pause(2_500);
    expect(said(h, "1 removed")).toHaveLength(1);
    expect(said(h, "new instances")).toHaveLength(1);
    ask(h, "/status i1101000012");
    await waitForText(h, "Unknown instance “i1101000012”");
    // No token of the account reached the log.
    expect(h.logLines.join("\n")).not.toContain("b".repeat(50));
    expect(h.logLines.join("\n")).not.toContain(fake.partner.token);
  });

  it("the file wins for its instances and names; a wrong token (200 {code: 401}) is a warning while the file's list keeps working", async () => {
    h = await startHarness({ start: false, partner: { withFile: true } });
    const fake = h.greenApi;
    // The file's shop is in the account under another name: the file's name stays.
    fake.partner.instances.push({
      ...accountEntry(Number(SHOP.idInstance), SHOP.apiTokenInstance, "Main shop"),
    });
    // A new one named like the file's instance: it cannot take "shop".
    fake.addAccountInstance({
      idInstance: 1101000021,
      apiTokenInstance: "e".repeat(50),
      name: "SHOP",
    });
    await h.app.start();
    ask(h, "/instances");
    const list = await waitForText(h, "📒");
    expect(list.text).toContain("shop · 1101000001 · instances file");
    expect(list.text).toContain("i1101000021 · 1101000021 · account");
    expect(list.text).not.toContain("main-shop");
    await h.close();

    // Same file, wrong token: greenlight starts on the file and says why in the log.
    h = await startHarness({
      start: false,
      partner: { withFile: true },
      env: { GREEN_API_PARTNER_TOKEN: "wrong-partner-token-000" },
    });
    await h.app.start();
    expect(h.logLines.join("\n")).toContain("GREEN-API rejected GREEN_API_PARTNER_TOKEN (401)");
    expect(h.logLines.join("\n")).not.toContain("wrong-partner-token-000");
    ask(h, "/status");
    expect((await waitForText(h, "Instances")).text).toContain("shop —");
  });

  it("a wrong token with no instances file stops the start with a clear error", async () => {
    h = await startHarness({
      start: false,
      instances: [],
      partner: { withFile: false },
      env: { GREEN_API_PARTNER_TOKEN: "wrong-partner-token-000" },
    });
    await expect(h.app.start()).rejects.toThrow(
      "GREEN-API rejected GREEN_API_PARTNER_TOKEN (401): check the partner token; there is no instances file to start with",
    );
  });

  it("warns the admins 3 days and 1 day before a paid period ends and when it has ended, once each", async () => {
    h = await startHarness({
      start: false,
      instances: [],
      partner: { withFile: false },
      env: { PARTNER_SYNC_INTERVAL_MS: "1000" },
    });
    const fake = h.greenApi;
    const now = Date.now();
    fake.addAccountInstance({
      idInstance: 1101000031,
      apiTokenInstance: "f".repeat(50),
      name: "soon",
      expirationDate: greenApiDate(now + 2 * DAY),
    });
    fake.addAccountInstance({
      idInstance: 1101000032,
      apiTokenInstance: "g".repeat(50),
      name: "today",
      expirationDate: greenApiDate(now + 12 * 3_600_000),
    });
    fake.addAccountInstance({
      idInstance: 1101000033,
      apiTokenInstance: "h".repeat(50),
      name: "over",
      isExpired: true,
    });
    fake.addAccountInstance({
      idInstance: 1101000034,
      apiTokenInstance: "i".repeat(50),
      name: "fine",
    });
    await h.app.start();

    const warning = await waitForText(h, "Paid period ending");
    expect(warning.text).toBe(
      [
        "💳 Paid period ending: 3 instances",
        "over — has ended (2027-01-10 09:00 UTC+3): it stops working until paid",
        `today — ends within a day (${consoleDate(now + 12 * 3_600_000)})`,
        `soon — ends in 3 days (${consoleDate(now + 2 * DAY)})`,
        "",
        "Renew them in the GREEN-API console.",
      ].join("\n"),
    );
    // Later syncs repeat nothing…
    await pause(2_500);
    expect(said(h, "Paid period ending")).toHaveLength(1);
    // …until "soon" reaches its next stage: one new warning, for it alone.
    const soon = fake.partner.instances.find((i) => i.idInstance === 1101000031);
    if (soon) soon.expirationDate = greenApiDate(now + 20 * 3_600_000);
    await eventually(() => said(h!, "Paid period ending").length === 2, "the 1-day warning");
    expect(said(h, "Paid period ending")[1]?.text).toContain(
      "💳 Paid period ending: 1 instance\nsoon — ends within a day",
    );
    await pause(2_500);
    expect(said(h, "Paid period ending")).toHaveLength(2);
  });
});

describe("the instances file lists someone who is on no team list", () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it("tells the admins at start, once across processes and restarts, naming instance and id", async () => {
    const STRANGER_ID = 4242;
    h = await startHarness({
      instances: [{ ...SHOP, operators: [OPERATOR, STRANGER_ID] }, SUPPORT],
    });
    const warning = await waitForText(h, "on no team list");
    expect(warning.text).toBe(
      [
        "👤 The instances file lists people who are on no team list",
        `shop — ${STRANGER_ID}`,
        "",
        "They get no access to these instances. Add each id to ADMIN_IDS, OPERATOR_IDS or VIEWER_IDS, or remove it from the instances file.",
      ].join("\n"),
    );
    // Another process (or a restart) with the same file: start() has told or not told by its end.
    await h.startAnother({ ROLE: "worker" });
    expect(said(h, "on no team list")).toHaveLength(1);
  });
});

function accountEntry(idInstance: number, apiTokenInstance: string, name: string) {
  return {
    idInstance,
    name,
    typeInstance: "whatsapp",
    typeAccount: "",
    partnerUserUiid: "",
    timeCreated: "2026-01-10T09:00:00",
    timeDeleted: "0001-01-01T00:00:00",
    apiTokenInstance,
    deleted: false,
    tariff: "BUSINESS",
    isFree: false,
    isPartner: true,
    expirationDate: "2027-01-10T09:00:00",
    isExpired: false,
  };
}
