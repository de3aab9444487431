import { describe, expect, it } from "vitest";
import { myTurn } from "../../../src/alerts/check-turns.js";

const NOW = 1_000_000;
const ALIVE_MS = 70_000;

describe("taking turns at the shard checks (myTurn, pure)", () => {
  it.each([
    ["alone", { a: 5 }, { a: NOW }, true],
    ["first of the interval", {}, { a: NOW, b: NOW - 100 }, true],
    ["level with the other", { a: 3, b: 3 }, { a: NOW, b: NOW - 100 }, true],
    ["behind the other", { a: 2, b: 3 }, { a: NOW, b: NOW - 100 }, true],
    ["one ahead of a live worker: hand it back", { a: 4, b: 3 }, { a: NOW, b: NOW - 100 }, false],
    ["ahead of a worker never counted this interval", { a: 1 }, { a: NOW, b: NOW - 100 }, false],
    [
      "ahead of a worker gone longer than aliveMs (killed): take it",
      { a: 9, b: 3 },
      { a: NOW, b: NOW - ALIVE_MS - 1 },
      true,
    ],
    [
      "three workers, ahead of one of them",
      { a: 4, b: 4, c: 3 },
      { a: NOW, b: NOW, c: NOW - 5_000 },
      false,
    ],
    ["three workers, level", { a: 4, b: 4, c: 4 }, { a: NOW, b: NOW, c: NOW }, true],
  ] as const)("%s → %s", (_, counts, seen, expected) => {
    expect(
      myTurn({
        me: "a",
        now: NOW,
        counts: new Map(Object.entries(counts)),
        seen: new Map(Object.entries(seen)),
        aliveMs: ALIVE_MS,
      }),
    ).toBe(expected);
  });
});
