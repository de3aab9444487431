import type { IncomingMessage, ServerResponse } from "node:http";
import { z } from "zod";
import { clientIp } from "./client-ip.js";
import { gonePage, miniAppPage } from "./page-html.js";
import { SECURITY_HEADERS, send, stream } from "./page-routes.js";
import { pageLanguage } from "./page-words.js";
import type { LinkPagePorts } from "./ports.js";

export const MINI_APP_PREFIX = "/m/";

/**
 * The Mini App is shown inside Telegram: Telegram Web frames it (the native apps use a web
 * view), so instead of X-Frame-Options: DENY only Telegram Web may frame it.
 */
const MINI_APP_HEADERS: Record<string, string> = Object.fromEntries(
  Object.entries({
    ...SECURITY_HEADERS,
    "content-security-policy": SECURITY_HEADERS["content-security-policy"].replace(
      "frame-ancestors 'none'",
      "frame-ancestors https://web.telegram.org",
    ),
  }).filter(([name]) => name !== "x-frame-options"),
);

const NAME = "([a-z0-9_-]{1,32})";
const PAGE = new RegExp(`^/m/${NAME}/?$`);
const AUTH = new RegExp(`^/m/${NAME}/auth$`);
const EVENTS = new RegExp(`^/m/${NAME}/events$`);
const authSchema = z.object({ initData: z.string().max(4096) });
const MAX_AUTH_BODY = 8192;

/**
 * GET /m/<instance>: the page; POST …/auth: initData → a viewer token (403 for anything not
 * genuine, fresh and an operator's); GET …/events?t=<token>: the stream. No token, no QR.
 */
export async function serveMiniApp(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  ports: LinkPagePorts,
): Promise<void> {
  const { miniApp } = ports;
  const path = url.pathname;
  const lang = pageLanguage(url.searchParams.get("lang"), req.headers["accept-language"]);
  const json = (status: number, body: unknown) =>
    send(res, status, "application/json; charset=utf-8", JSON.stringify(body), MINI_APP_HEADERS);
  const html = (status: number, body: string) =>
    send(res, status, "text/html; charset=utf-8", body, MINI_APP_HEADERS);
  if (!(await ports.hit("ip", clientIp(req, ports.trustedProxies)))) {
    req.resume();
    res.setHeader("retry-after", "60");
    return json(429, { error: "too many requests" });
  }
  const page = PAGE.exec(path);
  const auth = AUTH.exec(path);
  const events = EVENTS.exec(path);
  const instance = page?.[1] ?? auth?.[1] ?? events?.[1];
  // Known or not, a well-formed name gets the same page, 403 and "gone": an outsider cannot
  // list the instances (customers' names) by asking. Only an operator's initData opens one.
  if (instance === undefined) {
    req.resume();
    return html(404, gonePage(lang));
  }
  if (auth) {
    if (req.method !== "POST") return json(405, { error: "POST only" });
    if (!String(req.headers["content-type"] ?? "").startsWith("application/json"))
      return json(403, { error: "refused" });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_AUTH_BODY) return json(413, { error: "refused" });
      chunks.push(chunk);
    }
    let body;
    try {
      body = authSchema.safeParse(JSON.parse(Buffer.concat(chunks).toString("utf8")));
    } catch {
      return json(400, { error: "refused" });
    }
    if (!body.success) return json(400, { error: "refused" });
    const token = await miniApp.authorize(instance, body.data.initData);
    return token ? json(200, { token }) : json(403, { error: "refused" });
  }
  if (req.method !== "GET" && req.method !== "HEAD") return json(405, { error: "GET only" });
  if (page) return html(200, miniAppPage(instance, lang));
  const token = url.searchParams.get("t") ?? "";
  return stream(
    req,
    res,
    (write, signal) => miniApp.watch(instance, token, write, signal),
    MINI_APP_HEADERS,
  );
}
