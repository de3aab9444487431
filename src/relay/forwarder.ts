import { type Agent, fetch as undiciFetch } from "undici";
import type { QueuedNotification } from "./relay-entry.js";
import type { RelayTarget } from "./ports.js";

/** The header an application dedups on: the same id on every try of one notification. */
export const DELIVERY_ID_HEADER = "x-greenlight-delivery";

export type ForwardOutcome =
  | { ok: true }
  | { ok: false; reason: "status"; status: number }
  | { ok: false; reason: "timeout" | "network" };

/** "HTTP 500", "timeout", "network error": what a notice may say (never a body). */
export function describeFailure(outcome: Exclude<ForwardOutcome, { ok: true }>): string {
  if (outcome.reason === "status") return `HTTP ${outcome.status}`;
  return outcome.reason === "timeout" ? "timeout" : "network error";
}

/**
 * One POST of a notification to its application: the body byte for byte with its Content-Type,
 * the target's token as GREEN-API sends its own, and the delivery id. Any 2xx is delivered.
 */
export async function forward(
  target: RelayTarget,
  notification: QueuedNotification,
  options: {
    idInstance: string;
    timeoutMs: number;
    fetch?: typeof fetch;
    /** For `publicOnly` targets: connects to public addresses only (guarded-connect.ts). */
    publicOnly?: Agent;
  },
): Promise<ForwardOutcome> {
  const headers: Record<string, string> = {
    "content-type": notification.contentType,
    [DELIVERY_ID_HEADER]: notification.deliveryId,
    "x-greenlight-instance": options.idInstance,
  };
  if (target.token) headers.authorization = `Bearer ${target.token}`;
  try {
    const init = {
      method: "POST",
      headers,
      body: notification.body,
      redirect: "manual" as const,
      signal: AbortSignal.timeout(options.timeoutMs),
    };
    if (target.publicOnly && !options.publicOnly) return { ok: false, reason: "network" };
    const response =
      target.publicOnly && options.publicOnly
        ? await undiciFetch(target.url, { ...init, dispatcher: options.publicOnly })
        : await (options.fetch ?? fetch)(target.url, init);
    // Read (and drop) the answer so the connection can be reused; its content is not ours.
    await response.arrayBuffer().catch(() => undefined);
    if (response.status >= 200 && response.status < 300) return { ok: true };
    return { ok: false, reason: "status", status: response.status };
  } catch (error) {
    const name = error instanceof Error ? error.name : "";
    return { ok: false, reason: name === "TimeoutError" ? "timeout" : "network" };
  }
}
