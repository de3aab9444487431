import type { IncomingMessage, ServerResponse } from "node:http";
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
const SECURITY_HEADERS = {
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

function send(res: ServerResponse, status: number, type: string, body: string): void {
  if (res.headersSent) return;
  res.writeHead(status, { ...SECURITY_HEADERS, "content-type": type }).end(body);
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
  if (method !== "GET" && method !== "HEAD") {
    res.setHeader("allow", "GET");
    return send(res, 405, "text/plain; charset=utf-8", "GET only");
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
  const page = PAGE_PATH.exec(path);
  const events = EVENTS_PATH.exec(path);
  const id = page?.[1] ?? events?.[1];
  if (id === undefined) return notFound();
  if (!(await ports.hit("view", id))) return tooMany();
  const view = await ports.open(id, req.headers["user-agent"], ip);
  if (!view) return notFound();
  if (page) return send(res, 200, "text/html; charset=utf-8", livePage(view, lang));
  return stream(req, res, id, ports);
}

/** Server-sent events: one JSON object per event; the stream ends with "linked" or "gone". */
async function stream(
  req: IncomingMessage,
  res: ServerResponse,
  id: string,
  ports: LinkPagePorts,
): Promise<void> {
  res.writeHead(200, {
    ...SECURITY_HEADERS,
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
    await ports.watch(id, write, stop.signal);
  } finally {
    clearInterval(keepalive);
    req.off("close", close);
    res.off("close", close);
    if (!res.writableEnded) res.end();
  }
}
