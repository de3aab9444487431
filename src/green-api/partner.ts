import { z } from "zod";

/**
 * GREEN-API's partner API, getInstances only (green-api.com/en/docs/partners/getInstances):
 * GET {partnerApiUrl}/partner/getInstances/{partnerToken} answers every instance of the account
 * (deleted ones for 3 months). A wrong token is answered with HTTP 200 and {code: 401,
 * description: "Unauthorized"} (…/partners/deleteInstanceAccount, "errors"). The token sits in
 * the URL path: no URL of this module is ever logged or put in an error.
 */

const accountInstanceSchema = z.looseObject({
  idInstance: z.union([z.number().int(), z.string().regex(/^\d+$/)]).transform(String),
  name: z
    .string()
    .nullish()
    .transform((name) => name ?? ""),
  typeInstance: z.string().nullish(),
  apiTokenInstance: z.string(),
  deleted: z.boolean().nullish(),
  /** "2026-12-01T00:00:00": the end of the paid period, no time zone (read as UTC+3, below). */
  expirationDate: z.string().nullish(),
  isExpired: z.boolean().nullish(),
  /**
   * Not in getInstances' documented fields (GREEN-API's tracker asks for apiUrl and mediaUrl in
   * createInstance's answer: green-api.com/en/forum/post/169). Read when an answer has it, so an
   * instance is called on its own host rather than the universal one GREEN-API calls temporary.
   */
  apiUrl: z.string().max(200).nullish(),
});

export interface AccountInstance {
  idInstance: string;
  name: string;
  typeInstance: string | undefined;
  apiTokenInstance: string;
  deleted: boolean;
  expiresAt: number | undefined;
  isExpired: boolean;
  /** The instance's own host, when getInstances named one (see accountInstanceSchema). */
  apiUrl?: string;
}

const errorAnswerSchema = z.object({ code: z.number().int(), description: z.string().optional() });

export class PartnerError extends Error {
  constructor(
    readonly failure: "unauthorized" | "refused" | "timeout" | "network" | "invalid-answer",
    detail: string,
  ) {
    super(`GREEN-API partner getInstances: ${failure} (${detail})`);
    this.name = "PartnerError";
  }
}

/**
 * GREEN-API's clock for partner billing: "payment for partner instances is written off at 00:00
 * UTC+3:00" (green-api.com/en/docs/partners). getInstances' dates carry no zone, so they are read
 * on that clock: an expiry then comes 3 h earlier than read as UTC, never later (warnings err on
 * the early side). A date with a zone is read as it says.
 */
const BILLING_ZONE = "+03:00";

/** "0001-01-01T00:00:00" (GREEN-API's "none") and unreadable dates are no date. */
export function parseAccountDate(text: string | null | undefined): number | undefined {
  if (!text || text.startsWith("0001-")) return undefined;
  const zoned = /[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text}${BILLING_ZONE}`;
  const ms = Date.parse(zoned);
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * An apiUrl from getInstances, if it is one greenlight may send the instance's token to: https on
 * a GREEN-API host (green-api.com, greenapi.com and their subdomains), or, with
 * ALLOW_INSECURE_HTTP=1 (tests), any http(s) URL. Anything else is ignored (the default host is used).
 */
export function ownHostOf(
  raw: string | null | undefined,
  allowInsecure: boolean,
): string | undefined {
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  const greenApiHost = /(^|\.)(green-api|greenapi)\.com$/i.test(url.hostname);
  const fine = allowInsecure
    ? url.protocol === "https:" || url.protocol === "http:"
    : url.protocol === "https:" && greenApiHost;
  if (!fine || url.username || url.password || url.search || url.hash) return undefined;
  return `${url.origin}${url.pathname}`.replace(/\/+$/, "");
}

export class PartnerClient {
  constructor(
    private readonly options: {
      partnerUrl: string;
      token: string;
      timeoutMs: number;
      fetch?: typeof fetch;
      /** ALLOW_INSECURE_HTTP=1: an apiUrl of the answer may be any http(s) URL (the tests' fake). */
      allowInsecure?: boolean;
    },
  ) {}

  async getInstances(): Promise<AccountInstance[]> {
    const url = `${this.options.partnerUrl}/partner/getInstances/${this.options.token}`;
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    let response: Response;
    let text: string;
    try {
      response = await (this.options.fetch ?? fetch)(url, { signal: timeout });
      text = await response.text();
    } catch (error) {
      if (timeout.aborted) throw new PartnerError("timeout", `${this.options.timeoutMs} ms`);
      const code = (error as { cause?: { code?: string } }).cause?.code;
      throw new PartnerError("network", code ?? "fetch failed");
    }
    if (response.status === 401 || response.status === 403)
      throw new PartnerError("unauthorized", `HTTP ${response.status}`);
    if (!response.ok) throw new PartnerError("refused", `HTTP ${response.status}`);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new PartnerError("invalid-answer", "not JSON");
    }
    const error = errorAnswerSchema.safeParse(json);
    if (error.success) {
      throw new PartnerError(
        error.data.code === 401 || error.data.code === 403 ? "unauthorized" : "refused",
        `code ${error.data.code}`,
      );
    }
    const list = z.array(z.unknown()).safeParse(json);
    if (!list.success) throw new PartnerError("invalid-answer", "not a list");
    // One odd entry must not hide the others: it is skipped.
    return list.data.flatMap((raw) => {
      const parsed = accountInstanceSchema.safeParse(raw);
      if (!parsed.success) return [];
      const entry = parsed.data;
      const apiUrl = ownHostOf(entry.apiUrl, this.options.allowInsecure === true);
      return [
        {
          idInstance: entry.idInstance,
          name: entry.name,
          typeInstance: entry.typeInstance ?? undefined,
          apiTokenInstance: entry.apiTokenInstance,
          deleted: entry.deleted === true,
          expiresAt: parseAccountDate(entry.expirationDate),
          isExpired: entry.isExpired === true,
          ...(apiUrl ? { apiUrl } : {}),
        },
      ];
    });
  }
}
