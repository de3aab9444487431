import { describe, expect, it } from "vitest";
import { nextQrInMs } from "../../../src/link-page/page-feed.js";

describe("the link page's countdown to the next QR", () => {
  it.each([
    // previous QR at, this QR at, now → ms left
    ["the first QR: GREEN-API's documented 20 s", undefined, 100_000, 100_000, 20_000],
    ["8 s rotations seen: 8 s", 92_000, 100_000, 101_000, 7_000],
    ["20 s rotations seen: 20 s", 80_000, 100_000, 100_500, 19_500],
    ["a gap too short to be a period (a repeat): 20 s", 99_500, 100_000, 100_000, 20_000],
    ["a gap too long (a pause, a restart): 20 s", 10_000, 100_000, 100_000, 20_000],
    ["late news never counts below zero", 92_000, 100_000, 130_000, 0],
  ])("%s", (_case, previousAt, at, now, left) => {
    expect(nextQrInMs(previousAt, at, now)).toBe(left);
  });
});
