import { describe, expect, it } from "vitest";
import { ConfirmationStore } from "../../../src/access/confirmation-store.js";
import { decideConfirmation, decodePending } from "../../../src/access/confirmation.js";
import { findPastedSecret } from "../../../src/access/pasted-secrets.js";
import { ReplyCooldown } from "../../../src/access/reply-cooldown.js";
import { buttonRight, commandRight } from "../../../src/access/rights.js";
import {
  allows,
  type InstanceLists,
  listedOffTeam,
  type Role,
  roleOf,
  type TeamLists,
} from "../../../src/access/roles.js";
import { secretPlace } from "../../../src/access/secret-place.js";
import { Redis } from "ioredis";
import { redisUrl, uniquePrefix } from "../../kit/redis.js";

const open: InstanceLists = { name: "open" };
const team = (lists: Partial<TeamLists>): TeamLists => ({
  adminIds: [],
  operatorIds: [],
  viewerIds: [],
  ...lists,
});

describe("roleOf: a user's role on an instance", () => {
  it.each<[string, number, InstanceLists, TeamLists, Role | undefined]>([
    // Today's configuration (no admins anywhere): operators keep every right they had.
    ["legacy operator of an open instance", 1, open, team({ operatorIds: [1] }), "admin"],
    ["stranger", 9, open, team({ operatorIds: [1] }), undefined],
    [
      "legacy operator listed on a private instance",
      1,
      { name: "p", operators: [1] },
      team({ operatorIds: [1, 2] }),
      "admin",
    ],
    [
      "legacy operator not listed on a private instance",
      2,
      { name: "p", operators: [1] },
      team({ operatorIds: [1, 2] }),
      undefined,
    ],
    [
      "listed on an instance but on no global list (as before: must be in OPERATOR_IDS)",
      3,
      { name: "p", operators: [3] },
      team({ operatorIds: [1] }),
      undefined,
    ],
    // With admins named, operators are operators.
    [
      "operator once ADMIN_IDS is set",
      1,
      open,
      team({ adminIds: [5], operatorIds: [1] }),
      "operator",
    ],
    ["global admin", 5, open, team({ adminIds: [5], operatorIds: [1] }), "admin"],
    [
      "global admin on a private instance that does not list them",
      5,
      { name: "p", operators: [1] },
      team({ adminIds: [5], operatorIds: [1] }),
      "admin",
    ],
    ["global viewer", 7, open, team({ viewerIds: [7], operatorIds: [1] }), "viewer"],
    [
      "global viewer listed as operator of a private instance",
      7,
      { name: "p", operators: [7] },
      team({ viewerIds: [7], adminIds: [5] }),
      "operator",
    ],
    [
      "global operator listed only as viewer of a private instance",
      1,
      { name: "p", viewers: [1] },
      team({ operatorIds: [1], adminIds: [5] }),
      "viewer",
    ],
    [
      "an instance's own admin (and then its operators are operators)",
      1,
      { name: "p", admins: [1], operators: [2] },
      team({ operatorIds: [1, 2] }),
      "admin",
    ],
    [
      "operator of an instance that has its own admin",
      2,
      { name: "p", admins: [1], operators: [2] },
      team({ operatorIds: [1, 2] }),
      "operator",
    ],
    [
      "a viewer never becomes more for lack of admins",
      7,
      open,
      team({ viewerIds: [7], operatorIds: [1] }),
      "viewer",
    ],
  ])("%s", (_name, userId, instance, lists, expected) => {
    expect(roleOf(userId, instance, lists)).toBe(expected);
  });

  it.each<[Role | undefined, boolean, boolean, boolean]>([
    [undefined, false, false, false],
    ["viewer", true, false, false],
    ["operator", true, true, false],
    ["admin", true, true, true],
  ])("%s may view %s, operate %s, administer %s", (role, view, operate, administer) => {
    expect([allows(role, "view"), allows(role, "operate"), allows(role, "administer")]).toEqual([
      view,
      operate,
      administer,
    ]);
  });

  it("finds ids listed on an instance that are on no global list", () => {
    expect(
      listedOffTeam(
        [{ name: "shop", operators: [1, 3], viewers: [3, 4] }, open],
        team({ operatorIds: [1], viewerIds: [4] }),
      ),
    ).toEqual([{ instance: "shop", userId: 3 }]);
  });
});

describe("the access tables", () => {
  it.each([
    ["qr", "operate"],
    ["status", "view"],
    ["logout", "administer"],
    ["audit", "administer"],
    ["help", "team"],
    ["unknowncommand", undefined],
    ["constructor", undefined],
  ])("command /%s needs %s", (command, right) => {
    expect(commandRight(command)).toBe(right);
  });

  it.each([
    ["qr:start:shop", "operate"],
    ["qr:logout-yes:shop", "administer"],
    ["st:refresh:_", "view"],
    ["st:page:3", "view"],
    ["adm:reboot-yes:shop", "administer"],
    ["qr:bogus:shop", undefined],
    ["toString", undefined],
    ["", undefined],
  ])("button %s needs %s", (data, right) => {
    expect(buttonRight(data)).toBe(right);
  });
});

describe("secretPlace: where a QR or a pairing code may be shown", () => {
  it.each([
    [{ chatId: 1, chatType: "private", userId: 1 }, [], "here"],
    [{ chatId: -100, chatType: "supergroup", userId: 1 }, [-100], "here"],
    [{ chatId: -100, chatType: "supergroup", userId: 1 }, [], "privately"],
    [{ chatId: -100, chatType: "group", userId: 1 }, [-200], "privately"],
    // Somebody else's private chat is never "here" (a forwarded button, a shared message).
    [{ chatId: 2, chatType: "private", userId: 1 }, [], "privately"],
  ])("%o with trusted %o: %s", (asked, trusted, expected) => {
    expect(secretPlace(asked, trusted)).toBe(expected);
  });
});

describe("findPastedSecret", () => {
  it.each([
    ["d75b3a66374942c5b3c019c698abc2067e151558acbd412345", "green-api-token"],
    ["token is D75B3A66374942C5B3C019C698ABC2067E151558ACBD412345 ok", "green-api-token"],
    ["/qr shop 1101000001 d75b3a66374942c5b3c019c698abc2067e151558acbd412345", "green-api-token"],
    ["123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1", "bot-token"],
    ["49 hex: d75b3a66374942c5b3c019c698abc2067e151558acbd41234", undefined],
    ["51 hex: d75b3a66374942c5b3c019c698abc2067e151558acbd4123456", undefined],
    ["/code shop +7 900 123-45-67", undefined],
    ["12:30 meeting", undefined],
    [undefined, undefined],
  ])("%s → %s", (text, expected) => {
    expect(findPastedSecret(text)).toBe(expected);
  });
});

describe("ReplyCooldown", () => {
  it("lets one reply per user through per interval, and forgets the oldest users first", () => {
    const cooldown = new ReplyCooldown(60_000, 2);
    expect(cooldown.take(1, 0)).toBe(true);
    expect(cooldown.take(1, 59_999)).toBe(false);
    expect(cooldown.take(1, 60_000)).toBe(true);
    expect(cooldown.take(2, 60_000)).toBe(true);
    expect(cooldown.take(3, 60_000)).toBe(true); // forgets user 1
    expect(cooldown.take(1, 60_001)).toBe(true);
    expect(cooldown.take(3, 60_001)).toBe(false);
  });
});

describe("confirmations", () => {
  const pending = { action: "logout", instance: "shop", userId: 1 };
  it.each([
    ["the asker's Yes in time", pending, false, pending, "confirmed"],
    ["a second Yes", undefined, true, pending, "already-done"],
    ["a Yes after the time is up", undefined, false, pending, "expired"],
    ["someone else's Yes", pending, false, { ...pending, userId: 2 }, "not-yours"],
    ["a Yes drawn for another action", pending, false, { ...pending, action: "reboot" }, "expired"],
    ["a Yes for another instance", pending, false, { ...pending, instance: "x" }, "expired"],
  ] as const)("%s: %s", (_name, stored, done, press, expected) => {
    expect(decideConfirmation(stored, done, press)).toBe(expected);
  });

  it.each([null, "", "{", "[1,2,3]", '["a","b","c"]', '["a","b",1.5]'])(
    "reads a damaged record %o as none",
    (raw) => expect(decodePending(raw)).toBeUndefined(),
  );

  it("counts a Yes once, even two at the same instant, and forgets it after the TTL", async () => {
    const redis = new Redis(redisUrl());
    try {
      const store = new ConfirmationStore(redis, { prefix: uniquePrefix("confirm"), ttlMs: 300 });
      const message = { chatId: 1, messageId: 10 };
      await store.arm(message, pending);
      expect(await store.take(message, { ...pending, userId: 2 })).toBe("not-yours");
      const both = await Promise.all([store.take(message, pending), store.take(message, pending)]);
      expect(both.sort()).toEqual(["already-done", "confirmed"]);
      expect(await store.take(message, pending)).toBe("already-done");

      const later = { chatId: 1, messageId: 11 };
      await store.arm(later, pending);
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(await store.take(later, pending)).toBe("expired");

      const withdrawn = { chatId: 1, messageId: 12 };
      await store.arm(withdrawn, pending);
      expect(await store.withdraw(withdrawn, 2)).toBe("not-yours");
      expect(await store.withdraw(withdrawn, pending.userId)).toBe("confirmed");
      expect(await store.take(withdrawn, pending)).toBe("expired");
    } finally {
      redis.disconnect();
    }
  });
});
