// Small HTTP helpers shared by the fake servers (no framework: node:http only).
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { clearTimeout, setTimeout } from "node:timers";

/** Reads the whole request body. */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export interface Multipart {
  fields: Record<string, string>;
  files: Record<string, Buffer>;
}

/**
 * Parses multipart/form-data by hand. `Request.formData()` on Node 20 (undici) rejects what grammY
 * sends (`content-disposition:form-data;name="x"` without spaces, unquoted `filename=`), while the
 * real Bot API accepts it, so the fake must be at least as lenient as Telegram.
 */
export function parseMultipart(body: Buffer, contentType: string): Multipart {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const token = boundary?.[1] ?? boundary?.[2];
  if (!token) throw new Error("multipart body without boundary");
  // Every delimiter is CRLF--boundary; the very first one has no CRLF, so prepend one.
  const data = Buffer.concat([Buffer.from("\r\n"), body]);
  const delimiter = Buffer.from(`\r\n--${token}`);
  const result: Multipart = { fields: {}, files: {} };
  let pos = data.indexOf(delimiter);
  while (pos !== -1) {
    let start = pos + delimiter.length;
    if (data.subarray(start, start + 2).toString() === "--") break; // closing delimiter
    if (data.subarray(start, start + 2).toString() === "\r\n") start += 2;
    const next = data.indexOf(delimiter, start);
    if (next === -1) break;
    const headerEnd = data.indexOf("\r\n\r\n", start);
    if (headerEnd === -1 || headerEnd > next) throw new Error("malformed multipart part");
    const headers = data.subarray(start, headerEnd).toString("utf8");
    const content = data.subarray(headerEnd + 4, next);
    const disposition = headers
      .split("\r\n")
      .find((line) => /^content-disposition\s*:/i.test(line));
    const name = disposition && /\bname\s*=\s*(?:"([^"]*)"|([^;\s]+))/i.exec(disposition);
    const fieldName = name ? (name[1] ?? name[2]) : undefined;
    if (fieldName !== undefined && disposition) {
      if (/\bfilename\s*=/i.test(disposition)) result.files[fieldName] = Buffer.from(content);
      else result.fields[fieldName] = content.toString("utf8");
    }
    pos = next;
  }
  return result;
}

/** Writes a JSON (or raw text) answer unless the client is already gone. */
export function send(res: ServerResponse, status: number, body: string): void {
  if (res.writableEnded || res.destroyed) return;
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body),
  });
  res.end(body);
}

export function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/** Closes the server and drops keep-alive sockets (fetch keeps them open). */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Standard "nothing matched in time" message, listing what did happen. */
export function describeTimeout(name: string, timeoutMs: number, recent: string[]): string {
  const shown = recent.slice(-15);
  return `${name}.waitFor: no matching call within ${timeoutMs} ms. Last ${shown.length} of ${recent.length} calls: ${
    shown.length ? shown.join(", ") : "(none)"
  }`;
}

interface Waiter<T> {
  predicate: (call: T) => boolean;
  resolve: (call: T) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** Pending `waitFor` promises of a fake: resolved as matching calls are recorded. */
export class CallWaiters<T> {
  private readonly waiters = new Set<Waiter<T>>();

  wait(
    recorded: readonly T[],
    predicate: (call: T) => boolean,
    timeoutMs: number,
    onTimeout: () => string,
  ): Promise<T> {
    const found = recorded.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T> = {
        predicate,
        resolve,
        reject,
        // node:timers, not the global: tests that use vi.useFakeTimers() must not freeze the fakes.
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          reject(new Error(onTimeout()));
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  /** Offers a newly recorded (or updated) call to every waiter. */
  notify(call: T): void {
    for (const waiter of this.waiters) {
      let matches: boolean;
      try {
        matches = waiter.predicate(call);
      } catch (error) {
        this.settle(waiter);
        waiter.reject(error instanceof Error ? error : new Error(String(error)));
        continue;
      }
      if (matches) {
        this.settle(waiter);
        waiter.resolve(call);
      }
    }
  }

  rejectAll(reason: string): void {
    for (const waiter of this.waiters) {
      this.settle(waiter);
      waiter.reject(new Error(reason));
    }
  }

  private settle(waiter: Waiter<T>): void {
    clearTimeout(waiter.timer);
    this.waiters.delete(waiter);
  }
}
