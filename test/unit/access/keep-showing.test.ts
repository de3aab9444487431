import { describe, expect, it } from "vitest";
import { mayKeepShowing } from "../../../src/access/secret-place.js";

/** When a running QR session or pairing code may go on (issue #22, hole 4): pure, as a table. */
const TRUSTED = [-100500];
describe("mayKeepShowing", () => {
  it.each([
    // [case, startedBy, chatId, may operate now, expected]
    ["the asker's private chat, still an operator", 1001, 1001, true, true],
    ["a trusted group, still an operator", 1001, -100500, true, true],
    ["the asker lost operate (off the team, or now a viewer)", 1001, 1001, false, false],
    ["the group is no longer trusted", 1001, -100600, true, false],
    ["someone else's private chat (never a place for the asker's secret)", 1001, 1002, true, false],
    ["neither", 1001, -100600, false, false],
  ] as const)("%s", (_case, startedBy, chatId, mayOperate, expected) => {
    expect(mayKeepShowing({ startedBy, chatId }, mayOperate, TRUSTED)).toBe(expected);
  });
});
