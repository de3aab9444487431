import { isIP } from "node:net";

/**
 * May greenlight POST an instance's notifications to `url` when the URL came from outside (the
 * webhookUrl GREEN-API held before `/webhook on`, which whoever controls the instance's GREEN-API
 * console sets)? Only http(s) to a host that is not this machine or its private network: else the
 * relay would be a way into it (SSRF: Redis, the metrics port, a cloud's metadata service).
 * A host name is judged by its spelling only; operators' own URLs (instances file,
 * WEBHOOK_FORWARD_URL) are trusted and never pass through here. `allowedHosts`
 * (FORWARD_PRIVATE_HOSTS): private hosts the operator does want reached, exactly as spelled.
 */
export function isForwardableUrl(url: string, allowedHosts: readonly string[] = []): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return false;
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return false;
  if (parsed.username !== "" || parsed.password !== "") return false;
  // WHATWG URL has already turned "0x7f.1", "2130706433" and "127.1" into "127.0.0.1".
  const host = parsed.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (allowedHosts.some((allowed) => allowed.toLowerCase() === host)) return true;
  if (host === "" || host === "localhost" || host.endsWith(".localhost")) return false;
  if (host.endsWith(".internal") || host.endsWith(".local")) return false;
  const family = isIP(host);
  if (family === 4) return isPublicV4(host);
  if (family === 6) return isPublicV6(host);
  // A bare name without a dot resolves inside the network (search domains), never on the internet.
  return host.includes(".");
}

/**
 * Is `address` (an IP address as a resolver returns it) on the public internet? The connect-time
 * half of the check: a public-looking name may resolve to a private address (or be rebound to one
 * between two lookups), so the relay checks the address it is about to connect to as well.
 */
export function isPublicAddress(address: string): boolean {
  const host = address.replace(/^\[|\]$/g, "").toLowerCase();
  const family = isIP(host);
  if (family === 4) return isPublicV4(host);
  if (family === 6) return isPublicV6(host);
  return false;
}

function isPublicV4(address: string): boolean {
  const [a = 0, b = 0] = address.split(".").map(Number);
  return !(
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 198 && (b === 18 || b === 19)) ||
    a >= 224
  );
}

function isPublicV6(address: string): boolean {
  if (address === "::" || address === "::1") return false;
  // An IPv4 address written as IPv6 (::ffff:a.b.c.d, which URL keeps as ::ffff:xxxx:yyyy).
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(address);
  if (mapped) {
    const high = parseInt(mapped[1] as string, 16);
    const low = parseInt(mapped[2] as string, 16);
    return isPublicV4(`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`);
  }
  if (address.startsWith("::ffff:")) return isPublicV4(address.slice(7));
  if (address.startsWith("64:ff9b:")) return false; // NAT64: an IPv4 address behind it
  const first = parseInt(address.split(":")[0] || "0", 16);
  // 0000::/16 (IPv4-compatible and other reserved forms), fc00::/7 unique local, fe80::/10
  // link-local, ff00::/8 multicast.
  return !(
    first === 0 ||
    (first & 0xfe00) === 0xfc00 ||
    (first & 0xffc0) === 0xfe80 ||
    first >= 0xff00
  );
}
