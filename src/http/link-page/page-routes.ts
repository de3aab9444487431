import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { clientIp } from "./client-ip.js";
import { PAGE_CSS, PAGE_JS } from "./page-assets.js";
import { gonePage, livePage } from "./page-html.js";
import { pageLanguage } from "./page-words.js";
import type { LinkPageEvent, LinkPagePorts } from "./ports.js";

export const LINK_PAGE_PREFIX = "/l/";

/**
 * Every answer under /l/ carries these: nothing is cached or framed, no referrer leaves with the
 * id, and the page runs only its own script and draws only the QR it was sent.
 */
export const SECURITY_HEADERS = {
  "cache-control": "no-store",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
} as const;

/** A stream is kept open by a comment this often (proxies close quiet connections). */
const KEEPALIVE_MS = 15_000;

const ID = "([A-Za-z0-9_-]{1,64})";
const PAGE_PATH = new RegExp(`^/l/${ID}/?$`);
const EVENTS_PATH = new RegExp(`^/l/${ID}/events$`);
const CODE_PATH = new RegExp(`^/l/${ID}/code$`);
/** A phone number and a country code: a few dozen bytes. */
const MAX_CODE_BODY = 1024;
const codeRequestSchema = z.object({
  phone: z.string().max(40),
  country: z.string().max(2).optional(),
});

export function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string,
  headers: Record<string, string> = SECURITY_HEADERS,
): void {
  if (res.headersSent) return;
  res.writeHead(status, { ...headers, "content-type": type }).end(body);
}

/**
 * The link page (README "Link without the team"): GET /l/<id>, its event stream, its two assets.
 * Anything unknown, dead or malformed gets the same 404 page, whatever the reason; too many
 * requests from one address (or too many misses) get 429 before any lookup.
 */
export async function serveLinkPage(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  ports: LinkPagePorts,
): Promise<void> {
  const path = url.pathname;
  const method = req.method ?? "GET";
  const lang = pageLanguage(url.searchParams.get("lang"), req.headers["accept-language"]);
  const code = CODE_PATH.exec(path);
  if (code ? method !== "POST" : method !== "GET" && method !== "HEAD") {
    req.resume();
    res.setHeader("allow", code ? "POST" : "GET");
    return send(res, 405, "text/plain; charset=utf-8", "method not allowed");
  }
  if (path === "/l/assets/page.css") return send(res, 200, "text/css; charset=utf-8", PAGE_CSS);
  if (path === "/l/assets/page.js")
    return send(res, 200, "text/javascript; charset=utf-8", PAGE_JS);

  const ip = clientIp(req, ports.trustedProxies);
  const tooMany = () => {
    res.setHeader("retry-after", "60");
    send(res, 429, "text/plain; charset=utf-8", "Too many requests");
  };
  if (!(await ports.hit("ip", ip)) || (await ports.over("guess", ip))) return tooMany();
  const notFound = async () => {
    await ports.hit("guess", ip);
    send(res, 404, "text/html; charset=utf-8", gonePage(lang));
  };
  if (code?.[1] !== undefined) return codeRequest(req, res, code[1], ip, ports, notFound, tooMany);
  const page = PAGE_PATH.exec(path);
  const events = EVENTS_PATH.exec(path);
  const id = page?.[1] ?? events?.[1];
  if (id === undefined) return notFound();
  if (!(await ports.hit("view", id))) return tooMany();
  const view = await ports.open(id, req.headers["user-agent"], ip);
  if (!view) return notFound();
  if (page) {
    const phone = { csrf: ports.csrfToken(id), defaultCountry: ports.defaultCountry };
    return send(res, 200, "text/html; charset=utf-8", livePage(view, lang, phone));
  }
  return stream(req, res, (write, signal) => ports.watch(id, write, signal));
}

/** Server-sent events: one JSON object per event; the stream ends with "linked" or "gone". */
export async function stream(
  req: IncomingMessage,
  res: ServerResponse,
  watch: (send: (event: LinkPageEvent) => void, signal: AbortSignal) => Promise<void>,
  headers: Record<string, string> = SECURITY_HEADERS,
): Promise<void> {
  res.writeHead(200, {
    ...headers,
    "content-type": "text/event-stream; charset=utf-8",
    connection: "keep-alive",
    // nginx: pass each event on at once.
    "x-accel-buffering": "no",
  });
  res.flushHeaders();
  const stop = new AbortController();
  const close = () => stop.abort();
  req.once("close", close);
  res.once("close", close);
  const keepalive = setInterval(() => res.write(": keepalive\n\n"), KEEPALIVE_MS);
  const write = (event: LinkPageEvent) => {
    if (!res.writableEnded) res.write(`data: ${JSON.stringify(event)}\n\n`);
  };
  try {
    await watch(write, stop.signal);
  } finally {
    clearInterval(keepalive);
    req.off("close", close);
    res.off("close", close);
    if (!res.writableEnded) res.end();
  }
}

function sameToken(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== "string" || given.length !== expected.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

/**
 * "Link with phone number instead": a JSON POST from the page itself. Refused (403, nothing
 * done, nothing counted against the cooldown) without the page's CSRF token in its header, from
 * another site (Sec-Fetch-Site), or as a form (a custom header and JSON force a CORS preflight
 * no other origin passes).
 */
async function codeRequest(
  req: IncomingMessage,
  res: ServerResponse,
  id: string,
  ip: string,
  ports: LinkPagePorts,
  notFound: () => Promise<void>,
  tooMany: () => void,
): Promise<void> {
  const json = (status: number, body: unknown) =>
    send(res, status, "application/json; charset=utf-8", JSON.stringify(body));
  const site = req.headers["sec-fetch-site"];
  if (
    !sameToken(req.headers["x-csrf-token"], ports.csrfToken(id)) ||
    (site !== undefined && site !== "same-origin") ||
    !String(req.headers["content-type"] ?? "").startsWith("application/json")
  ) {
    req.resume();
    return json(403, { kind: "refused" });
  }
  if (!(await ports.hit("codeIp", ip)) || !(await ports.hit("code", id))) {
    req.resume();
    return tooMany();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_CODE_BODY) return json(413, { kind: "refused" });
    chunks.push(chunk);
  }
  let parsed;
  try {
    parsed = codeRequestSchema.safeParse(JSON.parse(Buffer.concat(chunks).toString("utf8")));
  } catch {
    return json(400, { kind: "refused" });
  }
  if (!parsed.success) return json(400, { kind: "refused" });
  const answer = await ports.requestCode(id, parsed.data.phone, parsed.data.country || undefined);
  if (!answer) return notFound();
  return json(200, answer);
}
