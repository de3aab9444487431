// Cards carry no words (src/telegram/i18n/cards.ts): a Russian operator sees no English in any
// image. Checked on the text every card is drawn from, for every way a session ends, in ru.
import { describe, expect, it } from "vitest";
import type { SessionEnd } from "../../../src/qr-session/session-end.js";
import { cards } from "../../../src/telegram/i18n/index.js";
import { endScreen } from "../../../src/telegram/session-screen.js";
import { textsFor } from "../../../src/telegram/i18n/index.js";

const INSTANCE = "shop";
/** What a card may show: the instance's name (a-z, 0-9, _ and -) and a phone number (digits, +, spaces, dashes). */
const NO_WORDS = /^(shop|\+?[\d -]+)$/;

const ENDS: SessionEnd[] = [
  { kind: "authorized", phone: "79001234567" },
  { kind: "already-authorized" },
  { kind: "needs-logout" },
  { kind: "credentials-rejected" },
  { kind: "forbidden" },
  { kind: "quota-exceeded" },
  { kind: "expired" },
  { kind: "cancelled", by: 1001 },
  { kind: "failed" },
];

describe("cards in the operator's language: none of theirs, none of English", () => {
  it("every card of the dictionary draws only the name and the number", () => {
    for (const [name, card] of Object.entries(cards)) {
      const { title, lines } = card(INSTANCE, "+7 900 123-45-67");
      for (const text of [title, ...lines]) expect(text, name).toMatch(NO_WORDS);
    }
  });

  it.each(ENDS.map((end) => [end.kind, end] as const))(
    "a session that ends %s shows a Russian operator a card without words, the words in Russian",
    (_kind, end) => {
      const screen = endScreen(end, INSTANCE, 600_000, textsFor("ru"), 1001);
      for (const text of [screen.card.title, ...screen.card.lines]) expect(text).toMatch(NO_WORDS);
      // The caption carries the words, in Russian.
      expect(screen.caption).toMatch(/[а-яё]/i);
    },
  );
});
