import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { forward } from "../../../src/relay/forwarder.js";
import {
  PrivateAddressError,
  publicOnlyAgent,
  publicOnlyLookup,
  type Resolve,
} from "../../../src/relay/guarded-connect.js";

/** A resolver that answers each name with the addresses a test chose (no DNS here). */
function resolverOf(table: Record<string, string[]>): Resolve {
  return (hostname, options, callback) => {
    const addresses = (table[hostname] ?? []).map((address) => ({
      address,
      family: address.includes(":") ? 6 : 4,
    }));
    if (addresses.length === 0) {
      const error = Object.assign(new Error(`ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
      return callback(error, "", 4);
    }
    if (options.all) return callback(null, addresses);
    callback(null, addresses[0]?.address ?? "", addresses[0]?.family ?? 4);
  };
}

function lookupOf(table: Record<string, string[]>, hostname: string, all: boolean) {
  return new Promise<{ error: Error | null; address: unknown }>((resolve) =>
    publicOnlyLookup(resolverOf(table))(hostname, { all }, (error, address) =>
      resolve({ error, address }),
    ),
  );
}

describe("a forward target kept from outside connects to public addresses only", () => {
  it.each([
    ["a private address", ["10.0.0.5"], false],
    ["loopback", ["127.0.0.1"], false],
    ["a cloud's metadata service", ["169.254.169.254"], false],
    ["IPv6 loopback", ["::1"], false],
    ["IPv4-mapped loopback", ["::ffff:127.0.0.1"], false],
    // Every address a name has must be public: the socket may try any of them.
    ["a public and a private address (rebinding)", ["93.184.216.34", "10.0.0.5"], false],
    ["a public address", ["93.184.216.34"], true],
    ["public IPv4 and IPv6", ["93.184.216.34", "2606:2800:220:1::1"], true],
  ])("a name that resolves to %s: %s", async (_what, addresses, allowed) => {
    // Node's sockets ask for every address (all: true, for happy eyeballs).
    const { error } = await lookupOf({ "crm.example.com": addresses }, "crm.example.com", true);
    if (allowed) expect(error).toBeNull();
    else expect(error).toBeInstanceOf(PrivateAddressError);
    // Asked for one address, the one the socket will use is checked.
    const one = await lookupOf({ "crm.example.com": addresses }, "crm.example.com", false);
    expect(one.error === null).toBe(
      !["10.0.0.5", "127.0.0.1", "169.254.169.254", "::1", "::ffff:127.0.0.1"].includes(
        addresses[0] ?? "",
      ),
    );
  });

  it("passes the resolver's own error on", async () => {
    const { error } = await lookupOf({}, "nowhere.example.com", true);
    expect(error?.message).toContain("ENOTFOUND");
  });
});

describe("forward() with a public-only target", () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
  });

  async function listen(): Promise<{ port: number; hits: () => number }> {
    let hits = 0;
    server = createServer((request, response) => {
      hits += 1;
      request.resume();
      response.end("ok");
    });
    await new Promise<void>((resolve) => server?.listen(0, "127.0.0.1", resolve));
    return { port: (server.address() as AddressInfo).port, hits: () => hits };
  }

  const notification = {
    deliveryId: "d-1",
    body: Buffer.from('{"typeWebhook":"incomingMessageReceived"}'),
    contentType: "application/json",
  } as Parameters<typeof forward>[1];

  it("never reaches a name that resolves inside the network; an operator's own target does", async () => {
    const app = await listen();
    const agent = publicOnlyAgent(resolverOf({ "crm.example.com": ["127.0.0.1"] }));
    try {
      const refused = await forward(
        { url: `http://crm.example.com:${app.port}/hook`, publicOnly: true },
        notification,
        { idInstance: "1101000001", timeoutMs: 2_000, publicOnly: agent },
      );
      expect(refused).toEqual({ ok: false, reason: "network" });
      expect(app.hits()).toBe(0);

      // The same server as an operator's own target (instances file): trusted, reached.
      const delivered = await forward({ url: `http://127.0.0.1:${app.port}/hook` }, notification, {
        idInstance: "1101000001",
        timeoutMs: 2_000,
        publicOnly: agent,
      });
      expect(delivered).toEqual({ ok: true });
      expect(app.hits()).toBe(1);
    } finally {
      await agent.close();
    }
  });
});
