import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from "node:dns";
import { Agent } from "undici";
import { isPublicAddress } from "../shared/forward-url.js";

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/** A resolver with `dns.lookup`'s shape (tests give one that maps names to chosen addresses). */
export type Resolve = (hostname: string, options: LookupOptions, callback: LookupCallback) => void;

/** Refused before any byte is sent: the name resolved into this machine or its private network. */
export class PrivateAddressError extends Error {
  override readonly name = "PrivateAddressError";
  readonly code = "EPRIVATEADDRESS";
  constructor() {
    super("the forward target resolves to a private address");
  }
}

/**
 * A `lookup` for sockets that connects only to public addresses: every address the name resolves
 * to must be public, so neither a name that points inside nor DNS rebinding (a second lookup that
 * answers differently) can turn the relay into a way into the network. The address checked is the
 * one the socket then uses: there is no second lookup to race.
 */
export function publicOnlyLookup(resolve: Resolve = dnsLookup as Resolve) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    resolve(hostname, options, (error, address, family) => {
      if (error) return callback(error, address, family);
      const addresses = Array.isArray(address) ? address.map((entry) => entry.address) : [address];
      if (addresses.length === 0 || !addresses.every(isPublicAddress)) {
        return callback(new PrivateAddressError(), address, family);
      }
      callback(null, address, family);
    });
  };
}

/**
 * The HTTP client for targets that came from outside (`/webhook on` kept the application's old
 * webhookUrl, which whoever controls the instance's GREEN-API console sets): public addresses
 * only. Operators' own targets (instances file, WEBHOOK_FORWARD_URL) do not go through it.
 */
export function publicOnlyAgent(resolve?: Resolve): Agent {
  return new Agent({ connect: { lookup: publicOnlyLookup(resolve) } });
}
