import type { IncomingMessage } from "node:http";

/** "::ffff:10.0.0.1" → "10.0.0.1": one spelling per address for the limits and the list. */
function normal(address: string): string {
  return address.startsWith("::ffff:") ? address.slice(7) : address;
}

/**
 * The visitor's address. X-Forwarded-For is believed only from TRUSTED_PROXIES, and then only
 * its rightmost address that is not one of them (anything left of it the visitor could forge).
 */
export function clientIp(req: IncomingMessage, trustedProxies: readonly string[]): string {
  const direct = normal(req.socket.remoteAddress ?? "unknown");
  if (!trustedProxies.includes(direct)) return direct;
  const header = req.headers["x-forwarded-for"];
  const chain = (Array.isArray(header) ? header.join(",") : (header ?? ""))
    .split(",")
    .map((part) => normal(part.trim()))
    .filter(Boolean);
  for (let index = chain.length - 1; index >= 0; index--) {
    const hop = chain[index] as string;
    if (!trustedProxies.includes(hop)) return hop;
  }
  return direct;
}
