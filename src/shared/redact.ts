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

/** Longest first, so a secret that contains another is masked whole. */
function sorted(secrets: Iterable<string>): string[] {
  return [...new Set(secrets)]
    .filter((secret) => secret.length >= 6)
    .sort((a, b) => b.length - a.length);
}

/** Keeps a short prefix so that operators can still tell two tokens apart in a log. */
export function mask(secret: string): string {
  return `${secret.slice(0, 4)}…[redacted]`;
}

/** Masks the token segment of a GREEN-API URL without knowing the token: /waInstance{id}/{method}/{token}. */
export function redactGreenApiUrl(url: string): string {
  return url.replace(/(\/waInstance\d+\/[A-Za-z]+\/)([^/?#\s]+)/g, "$1[redacted]");
}

/** Masks bot tokens in Bot API URLs: /bot{id}:{secret}/method. */
export function redactBotTokens(text: string): string {
  return text.replace(/(?<!\d)(\d{5,}):[A-Za-z0-9_-]{20,}/g, "$1:[redacted]");
}
