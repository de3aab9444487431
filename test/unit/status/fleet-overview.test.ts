import { describe, expect, it } from "vitest";
import {
  type FleetPage,
  fleetOverview,
  STATUS_PAGE_SIZE,
} from "../../../src/status/fleet-overview.js";
import type { InstanceWatch } from "../../../src/alerts/watch-state.js";
import type { StateInstance } from "../../../src/green-api/schemas.js";
import { statusCallbacks } from "../../../src/telegram/callback-data.js";
import { LOCALES, textsFor } from "../../../src/telegram/i18n/index.js";
import { renderFleetPage } from "../../../src/telegram/features/status/fleet-view.js";

const T0 = Date.UTC(2026, 11, 2, 9, 0);
const incident = (since: number) => ({ since, initial: false, unsent: [], messages: [] });
const watch = (state: StateInstance, checkedAt = T0, extra: Partial<InstanceWatch> = {}) =>
  ({ state, checkedAt, failures: 0, ...extra }) as InstanceWatch;

function page(
  records: Record<string, InstanceWatch | undefined>,
  options: { page?: number; exact?: boolean; mayLink?: (name: string) => boolean } = {},
) {
  const names = Object.keys(records);
  return fleetOverview({
    names,
    watches: new Map(Object.entries(records)),
    page: options.page ?? 0,
    exact: options.exact ?? false,
    mayLink: options.mayLink ?? (() => true),
  });
}

const asPage = (view: ReturnType<typeof fleetOverview>): FleetPage => {
  if (view.kind !== "page") throw new Error("expected a page");
  return view;
};

describe("fleetOverview: what /status shows for a fleet", () => {
  const fleet = {
    zeta: watch("authorized", T0 - 60_000),
    alpha: watch("authorized", T0),
    "down-b": watch("notAuthorized", T0, { down: incident(T0 - 3_600_000) }),
    "down-a": watch("yellowCard", T0),
    napping: watch("sleepMode", T0),
    lost: watch("authorized", T0 - 120_000, { unreachable: incident(T0 - 600_000), failures: 3 }),
    fresh: undefined,
  };

  it.each([
    {
      case: "problems first, then unreachable, passing states, not checked, fine; by name",
      records: fleet,
      expectOrder: ["down-a", "down-b", "lost", "napping", "fresh", "alpha", "zeta"],
    },
    {
      case: "an instance with an open unreachable incident counts as unreachable, whatever its last state",
      records: { lost: fleet.lost, alpha: fleet.alpha },
      expectOrder: ["lost", "alpha"],
    },
  ])("$case", ({ records, expectOrder }) => {
    expect(asPage(page(records)).rows.map((row) => row.name)).toEqual(expectOrder);
  });

  it("counts by state in a fixed order, only non-zero, and tells the oldest and newest check", () => {
    const view = asPage(page(fleet));
    expect(view.total).toBe(7);
    expect(view.counts).toEqual([
      { key: "authorized", count: 2 },
      { key: "notAuthorized", count: 1 },
      { key: "yellowCard", count: 1 },
      { key: "sleepMode", count: 1 },
      { key: "unreachable", count: 1 },
      { key: "unchecked", count: 1 },
    ]);
    expect(view.oldestCheck).toBe(T0 - 120_000);
    expect(view.newestCheck).toBe(T0);
    expect(asPage(page({ fresh: undefined })).oldestCheck).toBeUndefined();
  });

  it("gives the open incident's start, and QR / Code only to unhealthy, reachable instances the reader may link", () => {
    const rows = asPage(page(fleet, { mayLink: (name) => name !== "down-a" })).rows;
    const byName = new Map(rows.map((row) => [row.name, row]));
    expect(byName.get("down-b")?.since).toBe(T0 - 3_600_000);
    expect(byName.get("lost")?.since).toBe(T0 - 600_000);
    expect(byName.get("alpha")?.since).toBeUndefined();
    // "lost" is unreachable: a QR or a code would need the GREEN-API that does not answer.
    expect(rows.filter((row) => row.linkable).map((row) => row.name)).toEqual([
      "down-b",
      "napping",
      "fresh",
    ]);
  });

  const many = Object.fromEntries(
    Array.from({ length: 45 }, (_, i) => [`n${String(i).padStart(3, "0")}`, watch("authorized")]),
  );
  it.each([
    { case: "first page", page: 0, exact: false, expect: { page: 0, pages: 3, rows: 20 } },
    {
      case: "last page, partly full",
      page: 2,
      exact: true,
      expect: { page: 2, pages: 3, rows: 5 },
    },
    {
      case: "Refresh past the end: the last page",
      page: 9,
      exact: false,
      expect: { page: 2, pages: 3, rows: 5 },
    },
    { case: "◀ ▶ past the end: stale", page: 3, exact: true, expect: "stale" },
  ] as const)("pages of 20: $case", ({ page: at, exact, expect: wanted }) => {
    const view = page(many, { page: at, exact });
    if (wanted === "stale") return expect(view).toEqual({ kind: "stale" });
    const shown = asPage(view);
    expect({ page: shown.page, pages: shown.pages, rows: shown.rows.length }).toEqual(wanted);
    expect(shown.total).toBe(45);
  });

  it("a ◀ ▶ press of a reader who sees nothing is stale", () => {
    expect(page({}, { exact: true })).toEqual({ kind: "stale" });
  });

  it("an undocumented state is counted apart, ranked with the problems, and shown with its value", () => {
    const view = asPage(page({ fine: watch("authorized"), odd: watch("pendingCode") }));
    expect(view.counts).toEqual([
      { key: "authorized", count: 1 },
      { key: "unknown", count: 1 },
    ]);
    expect(view.rows.map((row) => row.name)).toEqual(["odd", "fine"]);
    const text = renderFleetPage(view, textsFor("en"), {
      mutes: new Map(),
      quotaAt: new Map(),
      paidUntil: () => undefined,
      known: new Map(),
      watcherOff: false,
      uptime: new Map(),
    }).text;
    expect(text).toContain("❓ 1 in an unknown state");
    expect(text).toContain("<b>odd</b> — ❓ unknown state «pendingCode»");
  });
});

describe("/status buttons (zod, like every callback)", () => {
  it.each([
    ["st:refresh:_", { action: "refresh", page: 0 }],
    ["st:refresh:3", { action: "refresh", page: 3 }],
    ["st:page:0", { action: "page", page: 0 }],
    ["st:page:42", { action: "page", page: 42 }],
    ["st:page:_", undefined],
    ["st:page", undefined],
    ["st:page:-1", undefined],
    ["st:page:1e3", undefined],
    ["st:page:10001", undefined],
    ["st:page:1:2", undefined],
    ["st:next:1", undefined],
    ["qr:page:1", undefined],
    [`st:page:${"9".repeat(60)}`, undefined],
  ] as const)("%s", (data, decoded) => {
    expect(statusCallbacks.decode(data)).toEqual(decoded);
    if (decoded) expect(statusCallbacks.encode(decoded)).toBe(data);
  });
});

describe("renderFleetPage: every page fits one Telegram message", () => {
  // The worst case: 32-character names, every count in the summary (5 digits), the longest state
  // lines and every detail on every line of the page.
  const longName = (i: number) => `${"x".repeat(28)}${String(i).padStart(4, "0")}`;
  const names = Array.from({ length: 10_000 }, (_, i) => longName(i));
  const states: StateInstance[] = [
    "yellowCard",
    "notAuthorized",
    "blocked",
    "suspended",
    "sleepMode",
    "starting",
    "authorized",
  ];
  const watches = new Map(
    names.map((name, i): [string, InstanceWatch | undefined] => {
      if (i % 9 === 7) return [name, watch("authorized", T0, { unreachable: incident(T0 - 1) })];
      if (i % 9 === 8) return [name, undefined];
      const state = states[i % 9] ?? "blocked";
      return [name, watch(state, T0 - i, { down: incident(T0 - 9_999_999) })];
    }),
  );

  it.each(LOCALES)("in %s, with long names and every detail", (locale) => {
    const t = textsFor(locale);
    const view = asPage(
      fleetOverview({ names, watches, page: 7, exact: true, mayLink: () => true }),
    );
    expect(view.rows).toHaveLength(STATUS_PAGE_SIZE);
    const { text, keyboard } = renderFleetPage(view, t, {
      mutes: new Map(names.map((name) => [name, T0 + 3_600_000])),
      quotaAt: new Map(names.map((name) => [name, T0 - 60_000])),
      paidUntil: () => Date.UTC(2027, 0, 31),
      known: new Map(names.map((name) => [name, { phone: "447400123456" }])),
      watcherOff: true,
      uptime: new Map(names.map((name) => [name, 0.99957])),
    });
    // The 7-day uptime from the incident history, beside each instance (rounded down).
    expect(text).toContain(t.toolkit.status.line(view.rows[0]?.name ?? "", "99.9% "));
    // Telegram's limit is 4096 characters "after entities parsing" (Bot API, sendMessage): the
    // HTML tags do not count, an entity such as &lt; counts as one. JavaScript counts UTF-16
    // units, as Telegram does.
    const parsed = text.replace(/<[^>]+>/g, "").replace(/&(lt|gt|amp|quot);/g, "_");
    expect(parsed.length).toBeLessThanOrEqual(4096);
    expect(view.counts).toHaveLength(9);
    const rows = keyboard.inline_keyboard;
    expect(rows).toHaveLength(STATUS_PAGE_SIZE + 1);
    for (const button of rows.flat()) {
      expect(
        "callback_data" in button && Buffer.byteLength(button.callback_data),
      ).toBeLessThanOrEqual(64);
    }
    expect(rows.at(-1)?.map((button) => button.text)).toEqual(["◀", t.toolkit.status.refresh, "▶"]);
  });
});
