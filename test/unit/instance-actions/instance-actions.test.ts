import { describe, expect, it } from "vitest";
import type { Instance } from "../../../src/config/index.js";
import { GreenApiError, type GreenApiFailure } from "../../../src/green-api/errors.js";
import { InstanceActions } from "../../../src/instance-actions/instance-actions.js";
import {
  type ActionResult,
  type InstanceAction,
  resultOfAnswer,
  resultOfError,
} from "../../../src/instance-actions/outcome.js";
import { createLogger } from "../../../src/shared/logger.js";
import { Redactor } from "../../../src/shared/redact.js";
import { textsFor } from "../../../src/telegram/i18n/index.js";

const SHOP = {
  name: "shop",
  idInstance: "1101",
  apiTokenInstance: "secret-token",
  apiUrl: "http://127.0.0.1:1",
} as Instance;
const failed = (reason: string) => ({ ok: false, reason });

describe("how an action's answer reads", () => {
  it.each<[string, boolean, ActionResult]>([
    ["isLogout/isReboot true: done", true, { ok: true }],
    ["isLogout/isReboot false: declined, not done", false, { ok: false, reason: "declined" }],
  ])("%s", (_, answer, result) => expect(resultOfAnswer(answer)).toEqual(result));

  it.each<[GreenApiFailure | "not a GreenApiError", string]>([
    ["unauthorized", "credentials-rejected"],
    ["forbidden", "forbidden"],
    ["quota-exceeded", "quota-exceeded"],
    ["rate-limited", "rate-limited"],
    ["bad-request", "bad-request"],
    ["server-error", "server-error"],
    ["timeout", "timeout"],
    ["network", "network"],
    ["invalid-answer", "invalid-answer"],
    ["not a GreenApiError", "failed"],
  ])("a call failing with %s: %s", (failure, reason) => {
    const error =
      failure === "not a GreenApiError"
        ? new Error("boom")
        : new GreenApiError(failure, "logout", "shop", 500);
    expect(resultOfError(error)).toEqual(failed(reason));
  });

  it("every reason has its words in every language, never GREEN-API's own message", () => {
    const reasons = ["declined", "server-error", "timeout", "credentials-rejected", "failed"];
    for (const locale of ["en", "ru"] as const) {
      for (const reason of reasons) {
        const words = textsFor(locale).greenApi.failures[reason as "declined"];
        expect(words.length).toBeGreaterThan(10);
        expect(words).not.toContain("failed: ");
      }
    }
    expect(textsFor("ru").greenApi.failures.declined).not.toBe(
      textsFor("en").greenApi.failures.declined,
    );
  });
});

describe("InstanceActions.run: one call, one audit entry", () => {
  function actions(answer: boolean | Error) {
    const calls: string[] = [];
    const audited: Array<{ action: string; result: string; userId: number; chatId: number }> = [];
    const respond = (method: string) => {
      calls.push(method);
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    };
    const core = new InstanceActions({
      calls: { logout: () => respond("logout"), reboot: () => respond("reboot") },
      audit: { record: async (entry) => void audited.push(entry) },
      logger: createLogger({ level: "silent", redactor: new Redactor([]) }),
    });
    return { core, calls, audited };
  }

  it.each<[InstanceAction, boolean | Error, string, string, ActionResult]>([
    ["logout", true, "logout", "done", { ok: true }],
    ["logout", false, "logout", "failed: declined", failed("declined") as ActionResult],
    ["reboot", true, "reboot", "done", { ok: true }],
    ["reboot", false, "reboot", "failed: declined", failed("declined") as ActionResult],
    ["logout-for-qr", false, "logout", "failed: declined", failed("declined") as ActionResult],
    ["logout-for-code", true, "logout", "done", { ok: true }],
    [
      "logout-for-qr",
      new GreenApiError("server-error", "logout", "shop", 500),
      "logout",
      "failed: server-error",
      failed("server-error") as ActionResult,
    ],
    [
      "reboot",
      new GreenApiError("forbidden", "reboot", "shop", 403),
      "reboot",
      "failed: forbidden",
      failed("forbidden") as ActionResult,
    ],
  ])("%s answered %s: calls %s once, audits %s", async (action, answer, call, audit, result) => {
    const { core, calls, audited } = actions(answer);
    expect(await core.run({ action, instance: SHOP, userId: 7, chatId: -5 })).toEqual(result);
    expect(calls).toEqual([call]);
    expect(audited).toEqual([
      { action: call, userId: 7, chatId: -5, instance: "shop", result: audit },
    ]);
  });
});
