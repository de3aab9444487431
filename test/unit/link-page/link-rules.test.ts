import { describe, expect, it } from "vitest";
import {
  applyEvent,
  coarseUserAgent,
  LINKED_SHOWN_MS,
  type LinkRecord,
  linkState,
  mayCreateLink,
  pageView,
} from "../../../src/link-page/link-rules.js";

const T0 = 1_000_000;
const base: LinkRecord = {
  idHash: "h",
  idSealed: "s",
  instance: "shop",
  createdBy: 1,
  chatId: 1,
  messageId: 10,
  locale: "en",
  createdAt: T0,
  expiresAt: T0 + 60_000,
};

describe("linkState: revoked and linked outrank expiry", () => {
  it.each<[string, Partial<LinkRecord>, number, string]>([
    ["fresh", {}, T0, "live"],
    ["opened", { openedAt: T0 + 1 }, T0 + 2, "opened"],
    ["past its expiry", {}, T0 + 60_000, "expired"],
    ["opened, then past its expiry", { openedAt: T0 + 1 }, T0 + 70_000, "expired"],
    ["revoked", { revokedAt: T0 + 5 }, T0 + 6, "revoked"],
    ["revoked, then past its expiry", { revokedAt: T0 + 5 }, T0 + 90_000, "revoked"],
    ["linked", { openedAt: T0 + 1, linkedAt: T0 + 9 }, T0 + 10, "linked"],
  ])("%s → %s", (_name, patch, now, state) => {
    expect(linkState({ ...base, ...patch }, now)).toBe(state);
  });
});

describe("pageView: a dead link shows nothing of the instance", () => {
  it.each<[string, LinkRecord | undefined, number, string]>([
    ["unknown id", undefined, T0, "gone"],
    ["live", base, T0, "live"],
    ["opened", { ...base, openedAt: T0 }, T0 + 1, "live"],
    ["expired", base, T0 + 60_000, "gone"],
    ["revoked", { ...base, revokedAt: T0 }, T0 + 1, "gone"],
    ["just linked", { ...base, openedAt: T0, linkedAt: T0 + 1 }, T0 + 2, "linked"],
    ["linked long ago", { ...base, linkedAt: T0 }, T0 + LINKED_SHOWN_MS, "gone"],
  ])("%s → %s", (_name, record, now, kind) => {
    const view = pageView(record, now);
    expect(view.kind).toBe(kind);
    if (kind === "gone") expect(JSON.stringify(view)).not.toContain("shop");
  });
});

describe("mayCreateLink: at most LINK_MAX_PER_INSTANCE live links", () => {
  it.each([
    [0, 3, true],
    [2, 3, true],
    [3, 3, false],
    [4, 3, false],
    [0, 1, true],
    [1, 1, false],
  ])("%i live of %i → %s", (live, max, allowed) => {
    expect(mayCreateLink(live, max)).toBe(allowed);
  });
});

describe("applyEvent: only the first of each event changes the link", () => {
  const opened = { ...base, openedAt: T0 + 1, openedOn: "iPhone · Safari" };
  it.each<
    [string, LinkRecord, Parameters<typeof applyEvent>[1], number, Partial<LinkRecord> | undefined]
  >([
    [
      "first opening",
      base,
      { kind: "opened", userAgent: "Mac · Chrome" },
      T0 + 1,
      { openedAt: T0 + 1, openedOn: "Mac · Chrome" },
    ],
    ["second opening", opened, { kind: "opened", userAgent: "Mac · Chrome" }, T0 + 2, undefined],
    ["opening after expiry", base, { kind: "opened", userAgent: "x" }, T0 + 60_000, undefined],
    [
      "code on an opened link",
      opened,
      { kind: "code-requested" },
      T0 + 3,
      { codeRequestedAt: T0 + 3 },
    ],
    [
      "linked, opened",
      opened,
      { kind: "linked", as: "+7 900 ···67" },
      T0 + 4,
      { linkedAt: T0 + 4, linkedAs: "+7 900 ···67" },
    ],
    ["linked, never opened: not through the link", base, { kind: "linked" }, T0 + 4, undefined],
    ["revoked while live", base, { kind: "revoked", by: 1 }, T0 + 5, { revokedAt: T0 + 5 }],
    ["revoked twice", { ...base, revokedAt: T0 }, { kind: "revoked", by: 1 }, T0 + 5, undefined],
    [
      "revoked after linking",
      { ...opened, linkedAt: T0 + 2 },
      { kind: "revoked", by: 1 },
      T0 + 5,
      undefined,
    ],
    ["expired, past expiry", base, { kind: "expired" }, T0 + 60_000, {}],
    [
      "expired, revoked first",
      { ...base, revokedAt: T0 },
      { kind: "expired" },
      T0 + 60_000,
      undefined,
    ],
  ])("%s", (_name, record, event, now, patch) => {
    const changed = applyEvent(record, event, now);
    if (patch === undefined) expect(changed).toBeUndefined();
    else expect(changed).toEqual({ ...record, ...patch });
  });
});

describe("coarseUserAgent: a device and a browser, nothing to track", () => {
  it.each([
    [
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1",
      "iPhone · Safari",
    ],
    [
      "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36",
      "Android · Chrome",
    ],
    [
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 Edg/120.0",
      "Windows · Edge",
    ],
    [
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.1; rv:120.0) Gecko/20100101 Firefox/120.0",
      "Mac · Firefox",
    ],
    ["curl/8.0", "a browser"],
    [undefined, "a browser"],
  ])("%s → %s", (ua, coarse) => {
    expect(coarseUserAgent(ua)).toBe(coarse);
  });
});
