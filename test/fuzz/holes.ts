// The six holes of issue #22 as fixed sequences: each broke a rule on 0.2.0. The fifth is about
// configuration, not a sequence: access.fuzz.test.ts checks it on parseEnv/configFrom.
import type { Step } from "./generators.js";

const TOKEN_PASTE = "my token 0123456789abcdef0123456789abcdef0123456789abcdef01";

export const HOLES: Record<string, Step[]> = {
  "1. a forged update signed with sha256(WEBHOOK_SECRET) acts as the admin": [
    {
      kind: "forge",
      as: "admin",
      stranger: 0,
      place: "private",
      text: "/logout kiosk",
      secret: "sha256-of-webhook-secret",
    },
  ],
  "2. an operator reaches /audit through a bold entity before the command": [
    {
      kind: "say",
      who: "operator",
      stranger: 0,
      place: "private",
      text: "/audit",
      entities: ["bold", "bot_command"],
      carrier: "message",
    },
  ],
  "3. a failed sendMessage logs its payload, the whole phone number in it": [
    { kind: "fail", method: "sendMessage", error: "400-bad" },
    {
      kind: "say",
      who: "operator",
      stranger: 0,
      place: "private",
      text: "/code kiosk +7 900 777 88 99",
      entities: ["bot_command"],
      carrier: "message",
    },
  ],
  "4. a QR session of someone taken off the team goes on after a restart": [
    {
      kind: "say",
      who: "operator",
      stranger: 0,
      place: "private",
      text: "/qr kiosk",
      entities: ["bot_command"],
      carrier: "message",
    },
    { kind: "wait", ms: 500 },
    { kind: "restart", without: "operator" },
    { kind: "rotate", instance: "kiosk" },
    { kind: "wait", ms: 1_500 },
  ],
  "6. a stranger pasting tokens in a group gets a delete and a warning each time": [
    ...Array.from({ length: 5 }, (): Step => ({
      kind: "say",
      who: "stranger",
      stranger: 1,
      place: "trusted-group",
      text: TOKEN_PASTE,
      entities: [],
      carrier: "message",
    })),
  ],
  "6. every unauthenticated GREEN-API notification logs a warning": [
    ...Array.from({ length: 4 }, (): Step => ({
      kind: "notify",
      instance: "helpdesk",
      token: "wrong",
      state: "notAuthorized",
    })),
  ],
};
