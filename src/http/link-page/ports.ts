/**
 * What the link page's routes need, handed in by app/ (http/ imports no feature core): the
 * link's view, its live events, and the rate limits. Shapes of its own, kept in step with
 * link-page/ by the compiler where app/ connects them.
 */
export type LinkPageEvent =
  | { kind: "qr"; png: string; nextInMs: number }
  | { kind: "waiting" }
  | { kind: "linked" }
  | { kind: "already-linked" }
  | { kind: "gone" };

export type LinkCodeReply =
  | { kind: "code"; code: string }
  | { kind: "bad-number"; reason: string }
  | { kind: "cooldown"; seconds: number }
  | { kind: "already-linked" }
  | { kind: "failed" };

export interface LinkPageView {
  state: "live" | "linked";
  /** The instance's display name: the only thing of it the page shows. */
  instance: string;
  expiresAt: number;
}

export interface LinkPagePorts {
  /** The page of a live (or just linked) link, the opening recorded; undefined: the 404. */
  open(id: string, userAgent: string | undefined, ip: string): Promise<LinkPageView | undefined>;
  /** Streams the link's events until `signal` aborts or the link dies. */
  watch(id: string, send: (event: LinkPageEvent) => void, signal: AbortSignal): Promise<void>;
  /** Counts a hit against a limit: false once over it. */
  hit(kind: "ip" | "view" | "guess" | "code" | "codeIp", key: string): Promise<boolean>;
  /** "Link with phone number instead"; undefined: the link is dead (the 404). */
  requestCode(
    id: string,
    phone: string,
    country: string | undefined,
  ): Promise<LinkCodeReply | undefined>;
  /** The page's anti-CSRF token for this link (its POST must send it back). */
  csrfToken(id: string): string;
  /** The country the number picker starts on (DEFAULT_PHONE_COUNTRY). */
  defaultCountry?: string;
  /** Whether `key` is already over the limit (nothing counted). */
  over(kind: "guess", key: string): Promise<boolean>;
  trustedProxies: readonly string[];
  /** "🔍 Full screen" (/m/<instance>): the live QR inside Telegram, for operators. */
  miniApp: MiniAppPorts;
}

export interface MiniAppPorts {
  /** A viewer token for genuine, fresh initData of an operator of `instance`; else undefined. */
  authorize(instance: string, initData: string): Promise<string | undefined>;
  watch(
    instance: string,
    token: string,
    send: (event: LinkPageEvent) => void,
    signal: AbortSignal,
  ): Promise<void>;
}
