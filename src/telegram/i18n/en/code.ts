import { formatMinutesSeconds } from "../../../shared/time.js";
import { bold as b, codeList, escapeHtml, quoteInput } from "../html.js";

export const code = {
  usage: (names: readonly string[]) =>
    [
      "Usage: <code>/code &lt;instance&gt; &lt;phone&gt;</code>, e.g. <code>/code shop +7 900 123-45-67</code>",
      `Instances: ${codeList(names)}`,
    ].join("\n"),
  pick: "🔑 Pairing code for which instance?",
  askPhone: (instance: string) =>
    `📞 Reply to this message with the phone number of the WhatsApp account to link to ${b(instance)}, e.g. <code>+7 900 123-45-67</code>.`,
  badPhone: (input: string) =>
    `“${quoteInput(input)}” is not a phone number. Use the international format with the country code, e.g. <code>+7 900 123-45-67</code>.`,
  requesting: (instance: string) => `⏳ Asking GREEN-API for a pairing code for ${b(instance)}…`,
  issued: (instance: string, pairingCode: string, phone: string, validMs: number) =>
    [
      `🔑 Pairing code for ${b(instance)} (${escapeHtml(phone)}):`,
      "",
      `<code>${escapeHtml(pairingCode)}</code>`,
      "",
      "On that phone: WhatsApp → Settings → Linked devices → Link a device → <b>Link with phone number instead</b>, then type the code.",
      `⏱ Valid about ${formatMinutesSeconds(validMs)} min. This message changes when ${b(instance)} is linked.`,
    ].join("\n"),
  authorized: (instance: string, phone?: string) =>
    `✅ ${b(instance)} is authorized${phone ? ` as +${escapeHtml(phone)}` : ""}.`,
  expired: (instance: string) =>
    `⌛ The pairing code for ${b(instance)} expired before it was used. Get a new one, or scan a QR code instead.`,
  cooldown: (instance: string, seconds: number) =>
    `⏳ A code for ${b(instance)} was requested moments ago. Requesting codes too often can lock the instance, so try again in ${seconds} s.`,
  failed: (instance: string, reason: string) =>
    `❌ GREEN-API gave no pairing code for ${b(instance)}: ${escapeHtml(reason)}`,
  buttons: { newCode: "🔑 New code", qrInstead: "📷 QR instead" },
  callbacks: {
    requesting: "Requesting a new code…",
    noPhone: "Send /code with the phone number again.",
  },
};
