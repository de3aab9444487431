import WebSocket from "ws";
import { z } from "zod";
import type { Instance } from "../config/index.js";

/**
 * GREEN-API's `scanqrcode` WebSocket: it pushes each new QR instead of being polled
 * (green-api.com/en/docs/api/account/Scanqrcode/). The token is in the socket URL's path, so the
 * URL is built here and never leaves this module: events carry reasons, not addresses.
 */

const timeoutType = z.enum(["timeout", "timeoutExpired"]);

export const qrSocketMessageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("qrCode"), message: z.string().min(1) }),
  z.object({ type: z.literal("error"), message: z.string() }),
  z.object({
    type: z.literal("alreadyLogged"),
    message: z.string().optional(),
  }),
  // The account that scanned; its shape is not documented and greenlight does not need it.
  z.object({ type: z.literal("accountData"), message: z.unknown() }),
  z.object({ type: timeoutType, message: z.unknown() }),
]);
export type QrSocketMessage = z.infer<typeof qrSocketMessageSchema>;

/** Why a socket ended; after any of these the caller polls instead. */
export type QrSocketEnd =
  /** GREEN-API's scan window (100 s) is over: an orderly end, worth reopening. */
  | { reason: "timeout" }
  /** The server closed the socket. */
  | { reason: "closed"; code: number }
  /** Refused, unreachable, silent for too long, or it sent something unreadable. */
  | { reason: "failed"; detail: string };

export interface QrSocketHandlers {
  onMessage(message: QrSocketMessage): void;
  /** Called once, whatever ended the socket (except `close()` by the caller). */
  onEnd(end: QrSocketEnd): void;
}

export interface QrSocketOptions {
  /** The opening handshake must finish within this. */
  connectTimeoutMs: number;
  /** No message for this long means the socket is dead (GREEN-API pushes a QR about every 20 s). */
  idleTimeoutMs: number;
}

/** `https://host` → `wss://host/waInstance{id}/scanqrcode/{token}`. */
function socketUrl(instance: Instance): string {
  const base = instance.apiUrl.replace(/^http/i, "ws");
  return `${base}/waInstance${instance.idInstance}/scanqrcode/${instance.apiTokenInstance}`;
}

export interface QrSocket {
  close(): void;
}

/** Opens the socket; `handlers` hear every validated message and, once, how it ended. */
export function openQrSocket(
  instance: Instance,
  handlers: QrSocketHandlers,
  options: QrSocketOptions,
): QrSocket {
  const ws = new WebSocket(socketUrl(instance), {
    handshakeTimeout: options.connectTimeoutMs,
    perMessageDeflate: false,
  });
  let over = false;
  let idle: NodeJS.Timeout | undefined;

  const end = (result: QrSocketEnd) => {
    if (over) return;
    over = true;
    clearTimeout(idle);
    ws.removeAllListeners();
    ws.on("error", () => undefined); // late errors of a socket we gave up on
    ws.terminate();
    handlers.onEnd(result);
  };
  const armIdle = () => {
    clearTimeout(idle);
    idle = setTimeout(
      () => end({ reason: "failed", detail: "silent too long" }),
      options.idleTimeoutMs,
    );
  };

  ws.on("open", armIdle);
  ws.on("message", (data, isBinary) => {
    if (over) return;
    armIdle();
    const parsed = isBinary ? undefined : parseMessage(data.toString());
    if (!parsed) return end({ reason: "failed", detail: "unexpected message" });
    if (parsed.type === "timeout" || parsed.type === "timeoutExpired") {
      return end({ reason: "timeout" });
    }
    handlers.onMessage(parsed);
  });
  // ws's own messages can quote the address: keep only an HTTP status or an error code.
  ws.on("unexpected-response", (_request, response) =>
    end({ reason: "failed", detail: `HTTP ${response.statusCode}` }),
  );
  ws.on("error", (error: Error & { code?: string }) =>
    end({ reason: "failed", detail: error.code ?? error.name }),
  );
  ws.on("close", (code) => end({ reason: "closed", code }));

  return {
    close() {
      if (over) return;
      over = true;
      clearTimeout(idle);
      ws.removeAllListeners();
      ws.on("error", () => undefined);
      ws.close(1000);
      // A server that never answers the close frame must not keep the socket forever.
      setTimeout(() => ws.terminate(), 1000).unref();
    },
  };
}

export function parseMessage(text: string): QrSocketMessage | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const result = qrSocketMessageSchema.safeParse(json);
  return result.success ? result.data : undefined;
}
