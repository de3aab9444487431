import type { IncomingMessage, ServerResponse } from "node:http";

// Reading a request body (bounded) and answering JSON: what every route of server.ts shares.

/** A notification is a few hundred bytes to a few KB; Telegram updates stay well under this too. */
const MAX_BODY_BYTES = 256 * 1024;

export class BodyTooLarge extends Error {}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      // Keep draining (bounded by requestTimeout) so that the client reads the 413, not a reset.
      if (size > MAX_BODY_BYTES) reject(new BodyTooLarge());
      else chunks.push(chunk);
    });
    req.once("end", () => resolve(Buffer.concat(chunks)));
    req.once("error", reject);
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  const close = status === 413 ? { connection: "close" } : {};
  res.writeHead(status, { "content-type": "application/json", ...close }).end(JSON.stringify(body));
}
