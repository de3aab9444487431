import {
  type CountryCode,
  type NumberType,
  type PhoneNumber,
  parsePhoneNumberFromString,
  validatePhoneNumberLength,
} from "libphonenumber-js/max";

/*
 * Phone numbers as people type them, checked with libphonenumber-js's `max` metadata: its exact
 * number patterns per country (a real, possible number, not only a plausible length) and the
 * number types, so that a landline can be told from a mobile. `mobile` metadata would refuse
 * landlines outright (WhatsApp Business can use one); `min` checks lengths only and knows no types.
 */

export type { CountryCode };

export interface PhoneParseOptions {
  /** DEFAULT_PHONE_COUNTRY: how numbers typed without "+" or "00" are read. */
  defaultCountry?: CountryCode;
  /** Used when there is no default country, e.g. the country of the instance's last known number. */
  fallbackCountry?: CountryCode;
}

/** Why a typed text is not sent to GREEN-API. */
export type PhoneRefusalReason =
  /** Letters, several "+", nothing but punctuation… */
  | "not-a-number"
  /** Typed without "+" or "00", and no country to read it in: ask for the country code. */
  | "needs-country"
  /** "+" (or "00") followed by no country calling code that exists. */
  | "unknown-country-code"
  | "too-short"
  | "too-long"
  /** The right length, but no such number in that country. */
  | "invalid";

export type TypedPhone =
  | {
      ok: true;
      /** What GREEN-API's getAuthorizationCode wants: country code first, digits only, no "+". */
      digits: string;
      /** "+7 900 123-45-67" */
      international: string;
      country?: CountryCode;
      /** False for landlines, toll-free, VoIP…: still accepted (WhatsApp Business), with a warning. */
      mobile: boolean;
      /** Where the country came from: typed with "+"/"00", or one of the options. */
      countryFrom: "typed" | "default" | "fallback";
    }
  | {
      ok: false;
      reason: PhoneRefusalReason;
      /** The calling code the refused number had, if it had one ("49" for "+49 30 12"). */
      callingCode?: string;
      /**
       * "needs-country" only: the digits read as GREEN-API's own format (country code first, no
       * "+": "79001234567") are a valid number. Offered to confirm with one tap, never used as is.
       */
      asGreenApiFormat?: { digits: string; international: string; country?: CountryCode };
    };

/** An example shown whenever the bot asks for a number with its country code. */
export const EXAMPLE_PHONE = "+7 900 123-45-67";

// Digits, one leading "+" (also "(+7)"), and the punctuation people put between groups (also
// Unicode dashes).
const TYPED_PHONE = /^\s*\(?\+?[\d\s().\-/\u2010-\u2015\u2212]*$/;
const MAX_TYPED_LENGTH = 40;
const E164_MAX_DIGITS = 15;
/**
 * No callable number anywhere is shorter (Niue, St Helena: a 3-digit code and 4 digits); the
 * metadata accepts some shorter service codes ("+49 1690"), which WhatsApp cannot link.
 */
const E164_MIN_DIGITS = 7;

/**
 * Reads a phone number the way people write it: "+7 900 123-45-67", "+44 (0)20 7946 0958",
 * "0049 30 123456" (00 as the international prefix), or a national form such as
 * "8 900 123-45-67" / "030 123456" when a country is known. A number typed without "+" or "00"
 * is never read as starting with a country code on a guess: without a country it is a question.
 */
export function parseTypedPhone(text: string, options: PhoneParseOptions = {}): TypedPhone {
  if (text.length > MAX_TYPED_LENGTH || !TYPED_PHONE.test(text)) {
    return { ok: false, reason: "not-a-number" };
  }
  const digits = text.replace(/\D/g, "");
  if (digits.length === 0) return { ok: false, reason: "not-a-number" };

  const international = /^\s*\(?\+/.test(text)
    ? digits
    : digits.startsWith("00")
      ? digits.slice(2)
      : undefined;
  if (international !== undefined) {
    return checked(`+${international}`, undefined, "typed");
  }

  const country = options.defaultCountry ?? options.fallbackCountry;
  if (!country) {
    const suggestion = greenApiFormat(text, digits);
    return {
      ok: false,
      reason: "needs-country",
      ...(suggestion ? { asGreenApiFormat: suggestion } : {}),
    };
  }
  return checked(digits, country, options.defaultCountry ? "default" : "fallback");
}

/**
 * GREEN-API writes numbers as digits only, country code first ("79001234567": its docs, console and
 * getWaSettings). Typed exactly so (digits, no spaces or dashes), and valid when read with a "+",
 * the number is worth offering. Anything written with separators ("8 900 123-45-67") is left
 * alone, and so is a number that is also a valid national number with the trunk prefix 8 (Russia,
 * Kazakhstan: "84951234567" is Moscow's 8 495 as well as Vietnam's +84): that one stays a question.
 * The offer shows the country it read, and only a tap sends it.
 */
function greenApiFormat(
  text: string,
  digits: string,
): { digits: string; international: string; country?: CountryCode } | undefined {
  if (!/^\s*\d+\s*$/.test(text)) return undefined;
  if (digits.startsWith("8") && parsePhoneNumberFromString(digits, "RU")?.isValid())
    return undefined;
  const read = checked(`+${digits}`, undefined, "typed");
  if (!read.ok || read.digits !== digits) return undefined;
  return {
    digits: read.digits,
    international: read.international,
    ...(read.country ? { country: read.country } : {}),
  };
}

function checked(
  text: string,
  country: CountryCode | undefined,
  countryFrom: "typed" | "default" | "fallback",
): TypedPhone {
  const number = parsePhoneNumberFromString(text, country);
  const digits = number ? `${number.countryCallingCode}${number.nationalNumber}` : "";
  // E.164 allows 15 digits (a few patterns in the metadata allow more), and GREEN-API takes the
  // number as a JSON integer, exact only up to 15-16 digits.
  if (number && digits.length > E164_MAX_DIGITS) {
    return { ok: false, reason: "too-long", callingCode: number.countryCallingCode };
  }
  if (number?.isValid() && digits.length < E164_MIN_DIGITS) {
    return { ok: false, reason: "too-short", callingCode: number.countryCallingCode };
  }
  if (number?.isValid()) {
    const type = number.getType();
    return {
      ok: true,
      digits,
      international: displayOf(number),
      ...(number.country ? { country: number.country } : {}),
      mobile: isMobileType(type),
      countryFrom,
    };
  }
  const callingCode = number?.countryCallingCode;
  const withCode = callingCode ? { callingCode } : {};
  switch (validatePhoneNumberLength(text, country)) {
    case "INVALID_COUNTRY":
      return { ok: false, reason: country ? "invalid" : "unknown-country-code" };
    case "TOO_SHORT":
      return { ok: false, reason: "too-short", ...withCode };
    case "TOO_LONG":
      return { ok: false, reason: "too-long", ...withCode };
    case "NOT_A_NUMBER":
      return { ok: false, reason: "not-a-number" };
    default:
      return { ok: false, reason: "invalid", ...withCode };
  }
}

const isMobileType = (type: NumberType) => type === "MOBILE" || type === "FIXED_LINE_OR_MOBILE";

/** How a known number is shown: whole in a private chat, masked in groups and in every log line. */
export type PhoneVisibility = "full" | "masked";

export interface PhoneView {
  /** "+7 900 123-45-67" */
  international: string;
  /** "+7 900 ···-··-67": the country code and the first group, then only the last 2 digits. */
  masked: string;
  /** Undefined when the number is not one libphonenumber-js knows as valid. */
  mobile?: boolean;
}

/**
 * A number GREEN-API knows (digits, country code first, as getWaSettings and the pairing code
 * request use them; a "+" or "@c.us" suffix is tolerated), for display. Never throws: a number
 * libphonenumber-js cannot read is shown as "+digits" and masked all the same.
 */
export function describePhone(phone: string): PhoneView {
  const digits = phone.replace(/@.*$/, "").replace(/\D/g, "");
  const number = digits ? parsePhoneNumberFromString(`+${digits}`) : undefined;
  if (!number) {
    const international = `+${digits}`;
    const keep = Math.min(3, Math.max(0, digits.length - 4));
    return { international, masked: `+${digits.slice(0, keep)}${maskDigits(digits.slice(keep))}` };
  }
  const international = displayOf(number);
  return {
    international,
    masked: maskDisplay(international),
    ...(number.isValid() ? { mobile: isMobileType(number.getType()) } : {}),
  };
}

/** The one formatter for phone numbers in chats and logs. */
export function formatPhone(phone: string, visibility: PhoneVisibility): string {
  const view = describePhone(phone);
  return visibility === "full" ? view.international : view.masked;
}

/**
 * libphonenumber-js's international format gives the groups ("+7 900 123 45 67": it turns every
 * separator into a space); the national format of the same number has the separators people know
 * ("8 (900) 123-45-67"), so the groups after the second keep its dashes: "+7 900 123-45-67".
 */
function displayOf(number: PhoneNumber): string {
  const international = number.formatInternational();
  const [plusCode, ...groups] = international.split(" ");
  if (!plusCode || groups.length < 2) return international;
  const national = number.formatNational();
  const runs = [...national.matchAll(/\d+/g)];
  const offset = runs.length - groups.length;
  const aligned =
    offset >= 0 &&
    groups.every((group, i) => {
      const run = runs[offset + i]?.[0] ?? "";
      return i === 0 ? run.endsWith(group) : run === group;
    });
  if (!aligned) return international;
  let out = `${plusCode} ${groups[0]}`;
  for (let i = 1; i < groups.length; i++) {
    const before = runs[offset + i - 1];
    const run = runs[offset + i];
    const between =
      before && run ? national.slice((before.index ?? 0) + before[0].length, run.index) : " ";
    // The first group (an area or network code) always ends with a space, as internationally.
    out += `${i > 1 && between.includes("-") ? "-" : " "}${groups[i]}`;
  }
  return out;
}

/**
 * "+7 900 123-45-67" → "+7 900 ···-··-67". When the groups after the first hold no more than the
 * last 2 digits ("+683 4002", "+49 9300 00"), the first group is masked too: something always is.
 */
function maskDisplay(display: string): string {
  const [plusCode = "", first = "", ...rest] = display.split(" ");
  const after = rest.join(" ");
  if (after.replace(/\D/g, "").length <= 2)
    return `${plusCode} ${maskDigits([first, after].join(" ").trim())}`;
  return `${plusCode} ${first} ${maskDigits(after)}`;
}

/** Every digit but the last 2 becomes "·"; separators stay. */
function maskDigits(text: string): string {
  const total = text.replace(/\D/g, "").length;
  let seen = 0;
  return text.replace(/\d/g, (digit) => (++seen > total - 2 ? digit : "·"));
}

/** "ABCD1234" → "ABCD-1234", as WhatsApp shows the code. */
export function groupPairingCode(code: string): string {
  const clean = code.replace(/[^A-Za-z0-9]/g, "").toUpperCase();
  return clean.length === 8 ? `${clean.slice(0, 4)}-${clean.slice(4)}` : clean;
}

/** The country of a number GREEN-API knows (digits, country code first), if it has one. */
export function countryOf(phone: string): CountryCode | undefined {
  const digits = phone.replace(/\D/g, "");
  return digits ? parsePhoneNumberFromString(`+${digits}`)?.country : undefined;
}
