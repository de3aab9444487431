import { describe, expect, it } from "vitest";
import { Access } from "../../../src/access/access.js";
import { AlertAudience, buttonsShown } from "../../../src/alerts/audience.js";
import { parseInstances } from "../../../src/config/index.js";

const ADMIN = 100;
const OPERATOR = 200;
const VIEWER = 300;
const SHOP_OPERATOR = 400;
const GROUP = -1001234567890;

const instances = parseInstances(
  [
    { name: "shop", idInstance: 1101000001, apiTokenInstance: "0123456789abcdef" },
    {
      name: "depot",
      idInstance: 1101000002,
      apiTokenInstance: "0123456789abcdef",
      operators: [SHOP_OPERATOR],
    },
  ],
  "test",
);
const access = new Access(instances, {
  adminIds: [ADMIN],
  operatorIds: [OPERATOR],
  viewerIds: [VIEWER, SHOP_OPERATOR],
});

describe("who gets an alert's fix buttons (buttonsShown, pure)", () => {
  it.each([
    ["a group, any instance: the access model checks whoever presses", GROUP, "shop", true],
    ["a group, an instance no longer listed", GROUP, "gone", true],
    ["an admin's private chat", ADMIN, "shop", true],
    ["an operator's private chat", OPERATOR, "shop", true],
    ["a viewer's private chat: no buttons", VIEWER, "shop", false],
    ["a viewer who operates only depot, for depot", SHOP_OPERATOR, "depot", true],
    ["the same viewer, for shop: no buttons", SHOP_OPERATOR, "shop", false],
    ["a private chat, an instance no longer listed", ADMIN, "gone", false],
  ] as const)("%s → %s", (_, chatId, name, expected) => {
    expect(buttonsShown(chatId, instances.find(name), access)).toBe(expected);
  });
});

describe("who hears of an instance (AlertAudience)", () => {
  it("without ALERT_CHAT_IDS: each team member who may see it, in their private chat", () => {
    const audience = new AlertAudience(instances, access, undefined);
    expect([...audience.chatsFor("shop")].sort()).toEqual([ADMIN, OPERATOR, VIEWER, SHOP_OPERATOR]);
    expect(audience.chatsFor("gone")).toEqual([]);
  });

  it("with ALERT_CHAT_IDS: those chats, for every instance", () => {
    const audience = new AlertAudience(instances, access, [GROUP, ADMIN]);
    expect(audience.chatsFor("shop")).toEqual([GROUP, ADMIN]);
    expect(audience.chatsFor("depot")).toEqual([GROUP, ADMIN]);
  });

  it("buttons per chat follow buttonsShown", () => {
    const audience = new AlertAudience(instances, access, undefined);
    expect(audience.buttonsIn(VIEWER)("shop")).toBe(false);
    expect(audience.buttonsIn(OPERATOR)("shop")).toBe(true);
    expect(audience.buttonsIn(GROUP)("shop")).toBe(true);
  });
});
