import { describe, expect, it } from "vitest";
import { endItem } from "../../../src/alerts/message-items.js";
import type { EndedIncident } from "../../../src/alerts/transitions.js";
import type { AlertItem } from "../../../src/alerts/watch-state.js";

const since = Date.UTC(2026, 0, 5, 3, 12, 30);
const item: AlertItem = { kind: "down", instance: "shop", since, initial: false };
const ended = (at: number): EndedIncident => ({
  kind: "down",
  at,
  incident: { since, initial: false, unsent: [], messages: [] },
});
const s = 1_000;

describe("an ended alert line", () => {
  // The QR or code message says "👤 Linked by Ivan at <link.at>": the alert must say the same
  // minute, whether the watcher or the QR session saw the login first.
  it.each([
    ["the watcher saw the login late", 120 * s, 90 * s, 90 * s],
    ["the watcher saw it 5 s before the QR session, across a minute", 28 * s, 33 * s, 33 * s],
    ["both at once", 60 * s, 60 * s, 60 * s],
    ["a link dated before the incident began (clock skew)", 60 * s, -5 * s, 0],
  ])("linked by greenlight, %s: ends at the link's time", (_, seenAfter, linkAfter, expected) => {
    const line = endItem(ended(since + seenAfter), { by: "Ivan", at: since + linkAfter })(item);
    expect(line).toMatchObject({ linkedBy: "Ivan", endedAt: since + expected });
  });

  it("linked outside greenlight: ends when the watcher saw it, with no name", () => {
    const line = endItem(ended(since + 75 * s))(item);
    expect(line.endedAt).toBe(since + 75 * s);
    expect(line.linkedBy).toBeUndefined();
  });
});
