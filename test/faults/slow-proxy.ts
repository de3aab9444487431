// A pass-through HTTP proxy in front of the fake Telegram that can hold chosen Bot API calls for a
// while: how a test puts an edit "in flight" at the moment it sends SIGTERM.
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readBody } from "../fakes/http.js";

export class SlowProxy {
  /** Bot API methods that reached the proxy, in order. */
  readonly seen: string[] = [];
  private readonly delays = new Map<string, number[]>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(target: string): Promise<SlowProxy> {
    const upstream = new URL(target);
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const proxy = new SlowProxy(
      server,
      `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    );
    server.on("request", async (req, res) => {
      const body = await readBody(req);
      const method = (req.url ?? "").split("/").pop()?.split("?")[0] ?? "";
      proxy.seen.push(method);
      const delay = proxy.delays.get(method)?.shift();
      if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
      const forward = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          path: req.url,
          method: req.method,
          headers: req.headers,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on("error", () => res.destroy());
      forward.end(body);
    });
    return proxy;
  }

  /** The next call of `method` waits `ms` before it is passed on. */
  delayNext(method: string, ms: number): void {
    this.delays.set(method, [...(this.delays.get(method) ?? []), ms]);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
