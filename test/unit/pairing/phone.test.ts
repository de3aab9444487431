import fc from "fast-check";
import { parsePhoneNumberFromString } from "libphonenumber-js/max";
import { describe, expect, it } from "vitest";
import {
  type CountryCode,
  describePhone,
  formatPhone,
  groupPairingCode,
  type PhoneRefusalReason,
  parseTypedPhone,
} from "../../../src/pairing/phone.js";

type Row = [
  typed: string,
  defaultCountry: CountryCode | undefined,
  expected: { digits: string; shown: string } | { refused: PhoneRefusalReason },
];

// What GREEN-API would receive (or why nothing), and what the code message shows, per country and
// per way of writing. The first rows are the four of issue #17.
const rows: Row[] = [
  // Issue #17: a Russian mobile as Russians write it is 7…, not 8…; with no country, a question.
  ["8 900 123-45-67", "RU", { digits: "79001234567", shown: "+7 900 123-45-67" }],
  ["8 900 123-45-67", undefined, { refused: "needs-country" }],
  ["8 (900) 1234567", "RU", { digits: "79001234567", shown: "+7 900 123-45-67" }],
  ["8 (900) 1234567", undefined, { refused: "needs-country" }],
  ["0049 30 123456", undefined, { digits: "4930123456", shown: "+49 30 123456" }],
  ["0049 30 123456", "RU", { digits: "4930123456", shown: "+49 30 123456" }],
  // Without "+" and without a country it is not read as "+1 234 567 8901" on a guess; in Russia
  // it is no number at all.
  ["12345678901", undefined, { refused: "needs-country" }],
  ["12345678901", "RU", { refused: "invalid" }],
  // Russia (RU): "+", spaces, dashes, brackets, dots, Unicode dashes, the country code typed
  // without "+", 00, and the old 8-10 international prefix.
  ["+7 900 123-45-67", undefined, { digits: "79001234567", shown: "+7 900 123-45-67" }],
  ["+7 (900) 123 45 67", undefined, { digits: "79001234567", shown: "+7 900 123-45-67" }],
  ["(+7) 900 123-45-67", undefined, { digits: "79001234567", shown: "+7 900 123-45-67" }],
  ["+7.900.123.45.67", undefined, { digits: "79001234567", shown: "+7 900 123-45-67" }],
  ["+7 900 123–45–67", undefined, { digits: "79001234567", shown: "+7 900 123-45-67" }],
  ["79001234567", "RU", { digits: "79001234567", shown: "+7 900 123-45-67" }],
  ["79001234567", undefined, { refused: "needs-country" }],
  ["0079001234567", undefined, { digits: "79001234567", shown: "+7 900 123-45-67" }],
  ["8 10 49 30 123456", "RU", { digits: "4930123456", shown: "+49 30 123456" }],
  // Kazakhstan (KZ): also +7, also the trunk prefix 8.
  ["8 700 123 4567", "KZ", { digits: "77001234567", shown: "+7 700 123 4567" }],
  ["+7 700 123 4567", undefined, { digits: "77001234567", shown: "+7 700 123 4567" }],
  // United Kingdom (GB): trunk prefix 0, also the "(0)" people write after +44.
  ["07400 123456", "GB", { digits: "447400123456", shown: "+44 7400 123456" }],
  ["+44 (0)7400 123456", undefined, { digits: "447400123456", shown: "+44 7400 123456" }],
  ["0044 7400 123456", undefined, { digits: "447400123456", shown: "+44 7400 123456" }],
  // Germany (DE): trunk prefix 0, a landline (accepted, warned about) and a mobile.
  ["030 123456", "DE", { digits: "4930123456", shown: "+49 30 123456" }],
  ["0151 23456789", "DE", { digits: "4915123456789", shown: "+49 1512 3456789" }],
  ["+49 151 23456789", undefined, { digits: "4915123456789", shown: "+49 1512 3456789" }],
  ["+49 30 12", undefined, { refused: "invalid" }],
  // France (FR): trunk prefix 0, "(0)" after +33.
  ["06 12 34 56 78", "FR", { digits: "33612345678", shown: "+33 6 12 34 56 78" }],
  ["+33 (0)6 12 34 56 78", undefined, { digits: "33612345678", shown: "+33 6 12 34 56 78" }],
  // United States (US): brackets and dashes, and its own international prefix 011.
  ["(201) 555-0123", "US", { digits: "12015550123", shown: "+1 201 555-0123" }],
  ["+1 201-555-0123", undefined, { digits: "12015550123", shown: "+1 201 555-0123" }],
  ["011 49 151 23456789", "US", { digits: "4915123456789", shown: "+49 1512 3456789" }],
  ["+1 (555) 01", undefined, { refused: "too-short" }],
  // India (IN), Brazil (BR), Turkey (TR), United Arab Emirates (AE), Italy (IT), Spain (ES),
  // Ukraine (UA), Indonesia (ID), Nigeria (NG), China (CN): national and international forms.
  ["098765 43210", "IN", { digits: "919876543210", shown: "+91 98765 43210" }],
  ["+91 98765 43210", undefined, { digits: "919876543210", shown: "+91 98765 43210" }],
  ["(11) 96123-4567", "BR", { digits: "5511961234567", shown: "+55 11 96123-4567" }],
  ["+55 11 96123-4567", undefined, { digits: "5511961234567", shown: "+55 11 96123-4567" }],
  ["0532 123 45 67", "TR", { digits: "905321234567", shown: "+90 532 123 45 67" }],
  ["+90 532 123 45 67", undefined, { digits: "905321234567", shown: "+90 532 123 45 67" }],
  ["050 123 4567", "AE", { digits: "971501234567", shown: "+971 50 123 4567" }],
  ["+971 50 123 4567", undefined, { digits: "971501234567", shown: "+971 50 123 4567" }],
  ["312 345 6789", "IT", { digits: "393123456789", shown: "+39 312 345 6789" }],
  ["0039 312 345 6789", undefined, { digits: "393123456789", shown: "+39 312 345 6789" }],
  ["612 34 56 78", "ES", { digits: "34612345678", shown: "+34 612 34 56 78" }],
  ["+34 612-34-56-78", undefined, { digits: "34612345678", shown: "+34 612 34 56 78" }],
  ["067 123 4567", "UA", { digits: "380671234567", shown: "+380 67 123 4567" }],
  ["+380 (67) 123-45-67", undefined, { digits: "380671234567", shown: "+380 67 123 4567" }],
  ["0812-3456-789", "ID", { digits: "628123456789", shown: "+62 812 3456-789" }],
  ["+62 812 3456 789", undefined, { digits: "628123456789", shown: "+62 812 3456-789" }],
  ["0802 123 4567", "NG", { digits: "2348021234567", shown: "+234 802 123 4567" }],
  ["+234 802 123 4567", undefined, { digits: "2348021234567", shown: "+234 802 123 4567" }],
  ["138 0013 8000", "CN", { digits: "8613800138000", shown: "+86 138 0013 8000" }],
  ["+86 138 0013 8000", undefined, { digits: "8613800138000", shown: "+86 138 0013 8000" }],
  // Not numbers, or no such numbers.
  ["", undefined, { refused: "not-a-number" }],
  ["phone", "RU", { refused: "not-a-number" }],
  ["+7 900 abc", undefined, { refused: "not-a-number" }],
  ["++79001234567", undefined, { refused: "not-a-number" }],
  ["(+)", undefined, { refused: "not-a-number" }],
  ["7+9001234567", "RU", { refused: "not-a-number" }],
  ["(-)", "RU", { refused: "not-a-number" }],
  ["+999 123456", undefined, { refused: "unknown-country-code" }],
  ["+7 900 123 45 67 89 01 23", undefined, { refused: "too-long" }],
  ["12345", "RU", { refused: "too-short" }],
  // Valid in the metadata (a German service code), but no number WhatsApp can link: 6 digits.
  ["1690", "DE", { refused: "too-short" }],
];

describe("phone numbers as people type them", () => {
  it.each(rows)("%j with default country %s", (typed, defaultCountry, expected) => {
    const phone = parseTypedPhone(typed, { defaultCountry });
    if ("refused" in expected) {
      expect(phone).toMatchObject({ ok: false, reason: expected.refused });
    } else {
      expect(phone).toMatchObject({ ok: true, digits: expected.digits });
      expect(phone.ok && phone.international).toBe(expected.shown);
    }
  });

  it("covers at least 12 countries", () => {
    const countries = new Set(
      rows.flatMap(([typed, country]) => {
        const phone = parseTypedPhone(typed, { defaultCountry: country });
        return phone.ok && phone.country ? [phone.country] : [];
      }),
    );
    expect(countries.size).toBeGreaterThanOrEqual(12);
  });

  it("reads a national number with the fallback country when no default country is set", () => {
    expect(parseTypedPhone("8 900 123-45-67", { fallbackCountry: "RU" })).toMatchObject({
      ok: true,
      digits: "79001234567",
      countryFrom: "fallback",
    });
    // DEFAULT_PHONE_COUNTRY wins over the fallback.
    expect(
      parseTypedPhone("030 123456", { defaultCountry: "DE", fallbackCountry: "RU" }),
    ).toMatchObject({ ok: true, digits: "4930123456", countryFrom: "default" });
    // A number with its country code needs neither.
    expect(parseTypedPhone("+49 30 123456", { fallbackCountry: "RU" })).toMatchObject({
      ok: true,
      country: "DE",
      countryFrom: "typed",
    });
  });

  it("tells mobiles from landlines and toll-free numbers, accepting both", () => {
    expect(parseTypedPhone("+7 900 123-45-67")).toMatchObject({ ok: true, mobile: true });
    expect(parseTypedPhone("+1 201 555 0123")).toMatchObject({ ok: true, mobile: true });
    expect(parseTypedPhone("+49 30 123456")).toMatchObject({ ok: true, mobile: false });
    expect(parseTypedPhone("+7 800 555-35-35")).toMatchObject({ ok: true, mobile: false });
  });

  it("names the calling code of a refused number that had one", () => {
    expect(parseTypedPhone("+49 30 12")).toEqual({
      ok: false,
      reason: "invalid",
      callingCode: "49",
    });
    expect(parseTypedPhone("+1 (555) 01")).toMatchObject({ callingCode: "1" });
    expect(parseTypedPhone("+999 123456")).toEqual({ ok: false, reason: "unknown-country-code" });
  });

  it("refuses long text before parsing it", () => {
    expect(parseTypedPhone(`+7 ${"9".repeat(60)}`)).toEqual({ ok: false, reason: "not-a-number" });
  });

  it("sends nothing, or a number that parses back with a + to the same valid number (property)", () => {
    const typedChar = fc.constantFrom(..."0123456789 +-().–/".split(""), "8", "00", "a");
    const typed = fc.oneof(
      fc.array(typedChar, { maxLength: 24 }).map((chars) => chars.join("")),
      fc.string({ maxLength: 24 }),
      // Realistic numbers: a plus or not, digits, punctuation between them.
      fc
        .tuple(
          fc.constantFrom("", "+", "00", "8", "0"),
          fc.array(
            fc.tuple(fc.stringMatching(/^\d{1,4}$/), fc.constantFrom(" ", "-", ".", "", ") (")),
            { minLength: 1, maxLength: 6 },
          ),
        )
        .map(([head, parts]) => head + parts.map(([d, sep]) => d + sep).join("")),
    );
    const country = fc.constantFrom<CountryCode | undefined>(
      undefined,
      "RU",
      "KZ",
      "GB",
      "DE",
      "FR",
      "US",
      "IN",
      "BR",
    );
    fc.assert(
      fc.property(typed, country, (text, defaultCountry) => {
        const phone = parseTypedPhone(text, { defaultCountry });
        if (!phone.ok) return;
        expect(phone.digits).toMatch(/^[1-9]\d{6,14}$/);
        const back = parsePhoneNumberFromString(`+${phone.digits}`);
        expect(back?.number).toBe(`+${phone.digits}`);
        expect(back?.isPossible()).toBe(true);
        expect(back?.isValid()).toBe(true);
        expect(describePhone(phone.digits).international).toBe(phone.international);
      }),
      { numRuns: 3000 },
    );
  });
});

describe("one formatter for chats and logs", () => {
  it.each([
    ["79001234567", "+7 900 123-45-67", "+7 900 ···-··-67"],
    ["77001234567", "+7 700 123 4567", "+7 700 ··· ··67"],
    ["447400123456", "+44 7400 123456", "+44 7400 ····56"],
    ["442079460958", "+44 20 7946 0958", "+44 20 ···· ··58"],
    ["4930123456", "+49 30 123456", "+49 30 ····56"],
    ["33612345678", "+33 6 12 34 56 78", "+33 6 ·· ·· ·· 78"],
    ["12015550123", "+1 201 555-0123", "+1 201 ···-··23"],
    ["5511961234567", "+55 11 96123-4567", "+55 11 ·····-··67"],
    // One group after the country code: only its last 2 digits stay.
    ["6834002", "+683 4002", "+683 ··02"],
    // What GREEN-API may answer: a "+" or a WhatsApp id suffix.
    ["+79001234567", "+7 900 123-45-67", "+7 900 ···-··-67"],
    ["79001234567@c.us", "+7 900 123-45-67", "+7 900 ···-··-67"],
  ])("shows %s whole as %s and masked as %s", (digits, full, masked) => {
    expect(formatPhone(digits, "full")).toBe(full);
    expect(formatPhone(digits, "masked")).toBe(masked);
  });

  it("masks a number it cannot read all the same, keeping only its last 2 digits and a prefix", () => {
    expect(formatPhone("99912345678", "full")).toBe("+99912345678");
    expect(formatPhone("99912345678", "masked")).toBe("+999······78");
  });

  it("never shows more than the country code, the first group and the last 2 digits masked", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[1-9]\d{6,14}$/), (digits) => {
        const masked = formatPhone(digits, "masked");
        const [code = "", first = "", ...rest] = masked.split(" ");
        const shownAfterFirst = rest.join("").replace(/\D/g, "");
        const visible = (code + first).replace(/\D/g, "").length + shownAfterFirst.length;
        expect(shownAfterFirst.length).toBeLessThanOrEqual(2);
        expect(visible).toBeLessThan(digits.length);
      }),
    );
  });
});

describe("pairing codes", () => {
  it("groups a code as WhatsApp shows it", () => {
    expect(groupPairingCode("abcd1234")).toBe("ABCD-1234");
  });
});

describe("GREEN-API's own format without a country set (digits, country code first, no '+')", () => {
  it.each([
    ["79001234567", "+7 900 123-45-67"],
    ["4915123456789", "+49 1512 3456789"],
    ["12025550123", "+1 202 555-0123"],
    // Written with separators, with a trunk prefix, ambiguous with Russia's 8, or no valid number.
    ["7 900 123-45-67", undefined],
    ["8 900 123-45-67", undefined],
    ["89001234567", undefined],
    ["84951234567", undefined],
    ["9001234567", undefined],
    ["99912345678", undefined],
  ])("%s is offered as %s, never sent as is", (typed, offered) => {
    const read = parseTypedPhone(typed);
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.reason).toBe("needs-country");
    expect(read.asGreenApiFormat?.international).toBe(offered);
    if (offered) expect(read.asGreenApiFormat?.digits).toBe(typed);
  });

  it("with a country set, the digits are read in that country as before (no offer)", () => {
    const read = parseTypedPhone("79001234567", { defaultCountry: "RU" });
    expect(read.ok && read.digits).toBe("79001234567");
  });
});
