import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfirmationStore } from "../../../src/access/confirmation-store.js";
import type { Instance } from "../../../src/config/index.js";
import { askToConfirm, confirmedAction } from "../../../src/instance-actions/confirmed-action.js";
import { InstanceActions } from "../../../src/instance-actions/instance-actions.js";
import type { InstanceAction } from "../../../src/instance-actions/outcome.js";
import { createLogger } from "../../../src/shared/logger.js";
import { Redactor } from "../../../src/shared/redact.js";
import { deleteKeysWithPrefix, redisUrl, uniquePrefix } from "../../kit/redis.js";

const SHOP = { name: "shop", idInstance: "1101", apiTokenInstance: "t", apiUrl: "x" } as Instance;
const ASKER = 7;

describe("confirmedAction: a Yes runs the action once, for the asker only, in time", () => {
  let redis: Redis;
  const prefix = uniquePrefix("confirmed-action");
  let messageId = 0;
  beforeAll(() => {
    redis = new Redis(redisUrl());
  });
  afterAll(async () => {
    await deleteKeysWithPrefix(prefix);
    redis.disconnect();
  });

  function setup() {
    const calls: string[] = [];
    const confirmations = new ConfirmationStore(redis, { prefix, ttlMs: 60_000 });
    const actions = new InstanceActions({
      calls: {
        logout: async () => calls.push("logout") > 0,
        reboot: async () => calls.push("reboot") > 0,
      },
      audit: { record: async () => undefined },
      logger: createLogger({ level: "silent", redactor: new Redactor([]) }),
    });
    const message = { chatId: -100, messageId: ++messageId };
    const press = (
      action: InstanceAction,
      userId: number,
      onConfirmed: () => Promise<boolean | void> = async () => undefined,
    ) =>
      confirmedAction(
        { confirmations, actions },
        message,
        { action, instance: SHOP, userId, chatId: message.chatId },
        onConfirmed,
      );
    return { calls, confirmations, message, press };
  }

  it("someone else's Yes changes nothing; the asker's runs it; a second Yes is 'already done'", async () => {
    const { calls, confirmations, message, press } = setup();
    await askToConfirm(confirmations, message, {
      action: "reboot",
      instance: "shop",
      userId: ASKER,
    });
    expect(await press("reboot", 99)).toEqual({ kind: "not-yours" });
    expect(calls).toEqual([]);
    expect(await press("reboot", ASKER)).toEqual({ kind: "ran", result: { ok: true } });
    expect(await press("reboot", ASKER)).toEqual({ kind: "already-done" });
    expect(calls).toEqual(["reboot"]);
  });

  it("a Yes for another action than the one asked about is 'expired' and runs nothing", async () => {
    const { calls, confirmations, message, press } = setup();
    await askToConfirm(confirmations, message, {
      action: "reboot",
      instance: "shop",
      userId: ASKER,
    });
    expect(await press("logout", ASKER)).toEqual({ kind: "expired" });
    expect(calls).toEqual([]);
  });

  it("onConfirmed saying false stops it before any call", async () => {
    const { calls, confirmations, message, press } = setup();
    await askToConfirm(confirmations, message, {
      action: "logout-for-code",
      instance: "shop",
      userId: ASKER,
    });
    expect(await press("logout-for-code", ASKER, async () => false)).toEqual({
      kind: "stopped",
    });
    expect(calls).toEqual([]);
  });

  it("onConfirmed throwing (Telegram refused 'working…') runs nothing and leaves the question armed", async () => {
    const { calls, confirmations, message, press } = setup();
    await askToConfirm(confirmations, message, {
      action: "logout",
      instance: "shop",
      userId: ASKER,
    });
    const refused = press("logout", ASKER, async () => {
      throw new Error("429: retry after 120");
    });
    await expect(refused).rejects.toThrow("429");
    expect(calls).toEqual([]);
    expect(await press("logout", 99)).toEqual({ kind: "not-yours" });
    expect(await press("logout", ASKER)).toEqual({ kind: "ran", result: { ok: true } });
    expect(calls).toEqual(["logout"]);
  });

  it("a question armed before the upgrade (by its old name) is still answered", async () => {
    const { calls, confirmations, message, press } = setup();
    await confirmations.arm(message, { action: "code-logout", instance: "shop", userId: ASKER });
    expect(await press("logout-for-code", ASKER)).toEqual({ kind: "ran", result: { ok: true } });
    await confirmations.arm(message, { action: "logout", instance: "shop", userId: ASKER });
    expect(await press("logout-for-qr", ASKER)).toEqual({ kind: "ran", result: { ok: true } });
    expect(calls).toEqual(["logout", "logout"]);
  });
});
