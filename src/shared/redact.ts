/**
 * Secrets that must never leave the process: GREEN-API instance tokens travel in URL paths and the
 * Telegram bot token in the Bot API URL, so any URL or error text can carry them. Everything that
 * is logged or shown to a user passes through a Redactor first.
 */
export class Redactor {
  private secrets: string[];

  constructor(secrets: Iterable<string>) {
    this.secrets = sorted(secrets);
  }

  /** Secrets learned while running (instance tokens from a partner sync), masked from now on. */
  add(secrets: Iterable<string>): void {
    this.secrets = sorted([...this.secrets, ...secrets]);
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) {
      if (out.includes(secret)) out = out.split(secret).join(mask(secret));
    }
    return out;
  }

  /** Adds secrets known only later (a config reload, a test). */
  with(secrets: Iterable<string>): Redactor {
    return new Redactor([...this.secrets, ...secrets]);
  }
}

/**
 * Longest first, so a secret that contains another is masked whole. Under 4 characters a
 * "secret" would mask ordinary words everywhere, and guards nothing anyway.
 */
function sorted(secrets: Iterable<string>): string[] {
  return [...new Set(secrets)]
    .filter((secret) => secret.length >= 4)
    .sort((a, b) => b.length - a.length);
}

/** Below this, even 4 characters of a secret are too much of it to show. */
const PREFIX_KEPT_FROM = 16;

/**
 * Keeps a short prefix of a long secret, so that operators can still tell two tokens apart in a
 * log; a short one is masked whole.
 */
export function mask(secret: string): string {
  return secret.length < PREFIX_KEPT_FROM ? "[redacted]" : `${secret.slice(0, 4)}…[redacted]`;
}

/**
 * Masks what looks like a phone number in a log line: "+" and 7 or more digits (spaces, dots,
 * dashes, brackets between), or 11 to 15 digits on their own in a string ("79001234567",
 * "79001234567@c.us"). A JSON number (a time, a chat id) is not one: it follows a ":" or a "-".
 * Only the first two and the last two digits stay: "+79···67".
 */
export function maskPhones(text: string): string {
  const keep = (digits: string, plus: string) =>
    `${plus}${digits.slice(0, 2)}···${digits.slice(-2)}`;
  return text
    .replace(/\+\d[\d\s().-]{5,}\d(?!\d)/g, (match) => keep(match.replace(/\D/g, ""), "+"))
    .replace(/(?<=["'\s(=])\d{11,15}(?!\d)/g, (match) => keep(match, ""));
}

/** Masks the token segment of a GREEN-API URL without knowing the token: /waInstance{id}/{method}/{token}. */
export function redactGreenApiUrl(url: string): string {
  return url.replace(/(\/waInstance\d+\/[A-Za-z]+\/)([^/?#\s]+)/g, "$1[redacted]");
}

/** Masks bot tokens in Bot API URLs: /bot{id}:{secret}/method. */
export function redactBotTokens(text: string): string {
  return text.replace(/(?<!\d)(\d{5,}):[A-Za-z0-9_-]{20,}/g, "$1:[redacted]");
}
