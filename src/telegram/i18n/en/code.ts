import type { PhoneRefusalReason } from "../../../pairing/phone.js";
import { formatMinutesSeconds } from "../../../shared/time-format.js";
import { bold as b, codeList, escapeHtml, quoteInput } from "../html.js";

const example = "<code>+7 900 123-45-67</code>";

/** "Russia" for "RU", in the reader's language (Node's ICU); the code itself if it has no name. */
export function regionName(language: string, country: string): string {
  try {
    return new Intl.DisplayNames([language], { type: "region" }).of(country) ?? country;
  } catch {
    return country;
  }
}

export const code = {
  usage: (names: readonly string[]) =>
    [
      "Usage: <code>/code &lt;instance&gt; &lt;phone&gt;</code>, e.g. <code>/code shop +7 900 123-45-67</code>",
      `Instances: ${codeList(names)}`,
    ].join("\n"),
  pick: "🔑 Pairing code for which instance?",
  askPhone: (instance: string) =>
    `📞 Reply to this message with the phone number of the WhatsApp account to link to ${b(instance)}, e.g. <code>+7 900 123-45-67</code>.`,
  /** Why a typed number was not sent; `callingCode` is the country code it had, if any. */
  badPhone: (input: string, reason: PhoneRefusalReason, callingCode?: string) => {
    const typed = `“${quoteInput(input)}”`;
    const country = callingCode ? ` for +${escapeHtml(callingCode)}` : "";
    const again = `Send it in the international format with the country code, e.g. ${example}.`;
    switch (reason) {
      case "needs-country":
        return [
          `❓ Which country is ${typed} in? ${again}`,
          "<i>Numbers without a country code are read only when DEFAULT_PHONE_COUNTRY is set.</i>",
        ].join("\n");
      case "unknown-country-code":
        return `${typed} is not a phone number: no country has that code. ${again}`;
      case "too-short":
        return `${typed} is not a phone number: too short${country}. ${again}`;
      case "too-long":
        return `${typed} is not a phone number: too long${country}. ${again}`;
      case "invalid":
        return `${typed} is not a phone number${callingCode ? ` in +${escapeHtml(callingCode)}` : ""}: no such number there. ${again}`;
      case "not-a-number":
        return `${typed} is not a phone number. ${again}`;
    }
  },
  /**
   * Digits typed as GREEN-API writes numbers ("79001234567"): read with its country code, to
   * confirm with one tap. `phone` is formatted for the chat; `country` an ISO code, if known.
   */
  asGreenApiFormat: (input: string, phone: string, country?: string) =>
    [
      `❓ “${quoteInput(input)}” has no “+”. Read as GREEN-API writes numbers (country code first), it is ${b(phone)}${country ? ` (${escapeHtml(regionName("en", country))})` : ""}.`,
      "Tap the button to send the code to that number, or send the number again with its “+”.",
    ].join("\n"),
  /** `phone` is formatted for the chat (whole or masked). */
  requesting: (instance: string, phone: string) =>
    `⏳ Asking GREEN-API for a pairing code for ${b(instance)} (${escapeHtml(phone)})…`,
  /** `phone` is formatted for the chat (whole or masked); `landline`: not a mobile number. */
  issued: (
    instance: string,
    pairingCode: string,
    phone: string,
    validMs: number,
    landline = false,
  ) =>
    [
      `🔑 Pairing code for ${b(instance)} (${escapeHtml(phone)}):`,
      ...(landline
        ? [
            `⚠️ ${escapeHtml(phone)} is not a mobile number. WhatsApp Business can use a landline; if this is the wrong number, tap “Another number”.`,
          ]
        : []),
      "",
      `<code>${escapeHtml(pairingCode)}</code>`,
      "",
      "On that phone: WhatsApp → Settings → Linked devices → Link a device → <b>Link with phone number instead</b>, then type the code.",
      `⏱ Valid about ${formatMinutesSeconds(validMs)} min. This message changes when ${b(instance)} is linked.`,
    ].join("\n"),
  authorized: (instance: string, phone?: string) =>
    `✅ ${b(instance)} is authorized${phone ? ` as ${escapeHtml(phone)}` : ""}.`,
  expired: (instance: string) =>
    `⌛ The pairing code for ${b(instance)} expired before it was used. Get a new one, or scan a QR code instead.`,
  /** getAuthorizationCode said `status: false`: GREEN-API's docs say to try again. */
  notIssued: (instance: string, seconds: number) =>
    `🔁 GREEN-API could not issue a pairing code for ${b(instance)} this time (its answer: an error occurred, try again). Tap “New code”${seconds > 0 ? ` in ${seconds} s` : ""}; nothing needs logging out.`,
  cooldown: (instance: string, seconds: number) =>
    `⏳ A code for ${b(instance)} was requested moments ago. Requesting codes too often can lock the instance, so try again in ${seconds} s.`,
  /** `phone` is formatted for the chat; `mayLogOut`: the reader may log it out (an admin). */
  alreadyAuthorized: (instance: string, phone: string | undefined, mayLogOut: boolean) =>
    [
      `✅ ${b(instance)} is already linked${phone ? ` to ${escapeHtml(phone)}` : ""}, and GREEN-API gives a pairing code only to a logged-out instance.`,
      mayLogOut
        ? "To link another phone, log it out first: “Log out & get a code” asks you to confirm, then gets a code for the same number."
        : "To link another phone, an admin has to log it out first (/logout).",
    ].join("\n"),
  needsLogout: (instance: string, mayLogOut: boolean) =>
    [
      `⚠️ ${b(instance)} still holds an old WhatsApp login that no longer works, so GREEN-API gives no pairing code.`,
      mayLogOut
        ? "Log out to clear it: “Log out & get a code” asks you to confirm, then gets a code for the same number."
        : "An admin has to log it out first (/logout); then ask for a code again.",
    ].join("\n"),
  starting: (instance: string, mayReboot: boolean) =>
    [
      `⏳ ${b(instance)} is starting (or rebooting), and GREEN-API gives no pairing code until it is done. That takes up to 5 minutes.`,
      mayReboot
        ? "Wait a few minutes and tap “New code”; if it stays like this, reboot it."
        : "Wait a few minutes and tap “New code”; if it stays like this, ask an admin to reboot it.",
    ].join("\n"),
  /** `phone` is formatted for the chat. */
  confirmLogout: (instance: string, phone: string) =>
    `🚪 Log out ${b(instance)} and get a pairing code for ${escapeHtml(phone)}? WhatsApp on it stops until the code is typed on that phone.`,
  loggingOut: (instance: string) => `⏳ Logging out ${b(instance)}…`,
  logoutKept: (instance: string) => `↩️ Nothing changed on ${b(instance)}: it stays linked.`,
  logoutFailed: (instance: string, reason: string) =>
    `❌ Could not log out ${b(instance)}: ${escapeHtml(reason)}`,
  failed: (instance: string, reason: string) =>
    `❌ GREEN-API gave no pairing code for ${b(instance)}: ${escapeHtml(reason)}`,
  buttons: {
    newCode: "🔑 New code",
    sendTo: (phone: string) => `📲 Send the code to ${phone}`,
    qrInstead: "📷 QR instead",
    anotherNumber: "📞 Another number",
    logoutForCode: "🚪 Log out & get a code",
    confirmLogout: "✅ Yes, log out",
    keep: "↩️ No",
    reboot: "🔁 Reboot",
  },
  callbacks: {
    confirmLogout: "Confirm: log out, then get a code.",
    loggingOut: "Logging out…",
    requesting: "Requesting a new code…",
    cooldown: (seconds: number) =>
      `The code on screen still works. A new one can be asked for in ${seconds} s.`,
    cooldownNoCode: (seconds: number) =>
      `A new code can be asked for in ${seconds} s: asking too often can lock the instance.`,
    noKnownPhone: "No number is remembered for this instance yet: reply with it.",
    noPhone: "Send /code with the phone number again.",
  },
};
