import { describe, expect, it } from "vitest";
import { GreenApiError, type GreenApiFailure } from "../../../src/green-api/errors.js";
import {
  HISTORY_SHOWN,
  type InstanceReport,
  needsLinking,
  recentStates,
  reportOfError,
} from "../../../src/status/live-check.js";

describe("a live /status check that got no state", () => {
  it.each<[GreenApiFailure | "not a GreenApiError", InstanceReport["kind"]]>([
    ["unauthorized", "rejected"],
    ["forbidden", "forbidden"],
    ["quota-exceeded", "quota-exceeded"],
    ["rate-limited", "busy"],
    ["timeout", "unreachable"],
    ["network", "unreachable"],
    ["server-error", "unreachable"],
    ["bad-request", "unreachable"],
    ["invalid-answer", "unreachable"],
    ["not a GreenApiError", "unreachable"],
  ])("%s reads as %s", (failure, kind) => {
    const error =
      failure === "not a GreenApiError"
        ? new Error("boom")
        : new GreenApiError(failure, "getStateInstance", "shop");
    expect(reportOfError("shop", error)).toEqual({ name: "shop", kind });
  });
});

describe("which reports get QR / Code buttons", () => {
  it.each<[InstanceReport, boolean]>([
    [{ name: "a", kind: "state", state: "authorized" }, false],
    [{ name: "a", kind: "state", state: "notAuthorized" }, true],
    [{ name: "a", kind: "state", state: "starting" }, true],
    [{ name: "a", kind: "unreachable" }, false],
    [{ name: "a", kind: "busy" }, true],
    [{ name: "a", kind: "rejected" }, false],
    [{ name: "a", kind: "forbidden" }, false],
    [{ name: "a", kind: "quota-exceeded" }, false],
  ])("%o: %s", (report, linkable) => expect(needsLinking(report)).toBe(linkable));
});

describe("GREEN-API's recent states", () => {
  it("keeps the newest few, in ms whether GREEN-API gave seconds or ms", () => {
    const history = Array.from({ length: 12 }, (_, index) => ({
      stateInstance: index === 0 ? "authorized" : "notAuthorized",
      timestamp: index === 1 ? 1_764_000_000_000 : 1_764_000_000 - index,
      phoneNumber: undefined,
    }));
    const recent = recentStates(history);
    expect(recent).toHaveLength(HISTORY_SHOWN);
    expect(recent[0]).toEqual({ at: 1_764_000_000_000, state: "authorized" });
    expect(recent[1]).toEqual({ at: 1_764_000_000_000, state: "notAuthorized" });
    expect(recent[2]).toEqual({ at: 1_763_999_998_000, state: "notAuthorized" });
  });
});
