/**
 * A phone number as GREEN-API's getAuthorizationCode wants it: digits only, country code first,
 * no "+". Accepts what people type: "+7 900 123-45-67", "7 (900) 123 45 67", "79001234567".
 * Returns undefined for anything else (letters, too short or long, several "+").
 */
export function normalizePhone(input: string): string | undefined {
  const trimmed = input.trim();
  if (!/^\+?[\d\s().-]+$/.test(trimmed)) return undefined;
  const digits = trimmed.replace(/\D/g, "");
  // E.164: at most 15 digits; real mobile numbers with a country code have at least 10.
  if (digits.length < 10 || digits.length > 15 || digits.startsWith("0")) return undefined;
  return digits;
}

/** "ABCD1234" → "ABCD-1234", as WhatsApp shows the code. */
export function groupPairingCode(code: string): string {
  const clean = code.replace(/[^A-Za-z0-9]/g, "").toUpperCase();
  return clean.length === 8 ? `${clean.slice(0, 4)}-${clean.slice(4)}` : clean;
}

/** "+7 900 123…67"-style mask for logs and shared chats: enough to recognise, not to dial. */
export function maskPhone(digits: string): string {
  return `+${digits.slice(0, 4)}…${digits.slice(-2)}`;
}
