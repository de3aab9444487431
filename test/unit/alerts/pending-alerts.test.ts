import { describe, expect, it } from "vitest";
import { collectPending, incidentItem } from "../../../src/alerts/pending-alerts.js";
import type { Incident, InstanceWatch } from "../../../src/alerts/watch-state.js";

const DAY = 24 * 3_600_000;
const incident = (unsent: number[], extra: Partial<Incident> = {}): Incident => ({
  since: 1_000,
  initial: false,
  unsent,
  messages: [],
  ...extra,
});
const watch = (extra: Partial<InstanceWatch>): InstanceWatch => ({ failures: 0, ...extra });

describe("what each chat is still to be told (collectPending, pure)", () => {
  it("groups open incidents by chat, down and unreachable alike", () => {
    const { byChat } = collectPending(
      new Map([
        ["shop", watch({ down: incident([1, 2], { state: "notAuthorized" }) })],
        ["depot", watch({ unreachable: incident([2]) })],
        ["fine", watch({ state: "authorized" })],
        ["unknown", undefined],
      ]),
      new Set(),
    );
    expect([...byChat.keys()]).toEqual([1, 2]);
    expect(byChat.get(1)?.map((e) => [e.name, e.kind])).toEqual([["shop", "down"]]);
    expect(byChat.get(2)?.map((e) => [e.name, e.kind])).toEqual([
      ["shop", "down"],
      ["depot", "unreachable"],
    ]);
  });

  it("a stuck queue is told like any incident, its size and wait on the line; muted, it waits", () => {
    const stuck = incident([1], { queued: 12, waitedMs: 900_000 });
    const { byChat } = collectPending(
      new Map([["shop", watch({ state: "authorized", stuck })]]),
      new Set(),
    );
    const [entry] = byChat.get(1) ?? [];
    expect(entry && incidentItem(entry, "79001234567")).toEqual({
      kind: "stuck",
      instance: "shop",
      state: undefined,
      since: 1_000,
      initial: false,
      queued: 12,
      waitedMs: 900_000,
    });
    const muted = watch({ state: "authorized", stuck: incident([1], { queued: 3 }) });
    expect(collectPending(new Map([["shop", muted]]), new Set(["shop"])).byChat.size).toBe(0);
    expect(muted.stuck?.unsent).toEqual([1]);
  });

  it("a muted instance's incident waits: not collected, still unsent", () => {
    const shop = watch({ down: incident([1], { state: "notAuthorized" }) });
    const { byChat } = collectPending(new Map([["shop", shop]]), new Set(["shop"]));
    expect(byChat.size).toBe(0);
    expect(shop.down?.unsent).toEqual([1]);
  });

  it("an offline warning goes to its chats once, even a chat with no incident", () => {
    const shop = watch({ offline: { since: 0, warned: [10 * DAY, 13 * DAY], unsent: [5] } });
    const { byChat, warnings, warned } = collectPending(new Map([["shop", shop]]), new Set());
    expect(byChat.get(5)).toEqual([]);
    expect(warnings.get(5)).toEqual([
      { kind: "offline", instance: "shop", since: 0, initial: false, offlineForMs: 13 * DAY },
    ]);
    expect(shop.offline?.unsent).toEqual([]);
    expect(warned.get("shop")).toBe(shop);
  });

  it("a muted instance's offline warning is dropped, not held", () => {
    const shop = watch({ offline: { since: 0, warned: [10 * DAY], unsent: [5] } });
    const { byChat, warnings, warned } = collectPending(
      new Map([["shop", shop]]),
      new Set(["shop"]),
    );
    expect(byChat.size).toBe(0);
    expect(warnings.size).toBe(0);
    expect(shop.offline?.unsent).toEqual([]);
    expect(warned.has("shop")).toBe(true);
  });
});

describe("an incident's line in a new alert (incidentItem, pure)", () => {
  it.each([
    ["logged out, number known: shown", "down", "notAuthorized", "79001234567", "79001234567"],
    ["logged out, number unknown", "down", "notAuthorized", undefined, undefined],
    ["blocked: no number", "down", "blocked", "79001234567", undefined],
    ["unreachable: no number", "unreachable", undefined, "79001234567", undefined],
  ] as const)("%s", (_, kind, state, phone, shown) => {
    const item = incidentItem(
      { name: "shop", kind, incident: incident([1], state ? { state } : {}) },
      phone,
    );
    expect(item.phone).toBe(shown);
    expect(item).toMatchObject({ kind, instance: "shop", since: 1_000, initial: false });
  });

  it("carries the auto-reboot and the claim", () => {
    const item = incidentItem(
      {
        name: "shop",
        kind: "down",
        incident: incident([1], {
          state: "starting",
          autoRebootAt: 5_000,
          autoRebootFailed: true,
          claimedBy: "Ivan",
        }),
      },
      undefined,
    );
    expect(item).toMatchObject({ autoRebootAt: 5_000, autoRebootFailed: true, claimedBy: "Ivan" });
  });
});
