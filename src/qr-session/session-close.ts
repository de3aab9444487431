import type { Instance, InstanceRegistry } from "../config/index.js";
import type { GreenApiClient } from "../green-api/client.js";
import type { Closure } from "../shared/closure.js";
import { localeOf } from "../shared/locale.js";
import type { Logger } from "../shared/logger.js";
import { sleep } from "../shared/time.js";
import type { QrScreen, ScreenOutcome } from "./ports.js";
import type { SessionEnd, SessionOutcome } from "./session-end.js";
import type { SessionRecord } from "./session-record.js";
import type { SessionStore } from "./session-store.js";

/**
 * How a QR session ends once the machine says so: the linked end is completed (phone number,
 * backlog closure), the final status card replaces the QR, and the record is forgotten. Apart
 * from the loop because it has a retry policy of its own (it outlasts 429s the loop would not).
 */

/**
 * How long the final status may take to get on screen despite 429s: a QR left on screen after the
 * session ended is the worst outcome, so it waits out retry_after in full, within this bound.
 */
const FINAL_EDIT_DEADLINE_MS = 5 * 60_000;
const FINAL_EDIT_MAX_ATTEMPTS = 12;

/** What completing a linked end needs. */
export interface LinkedEndDeps {
  greenApi: GreenApiClient;
  instances: InstanceRegistry;
  /** The instance got linked: remember who and the number, read the backlog (pairing/closures.ts). */
  onLinked?: (instance: Instance, userId: number, phone?: string) => Promise<Closure | undefined>;
}

/** The `authorized` end with what the session learns after the login: the phone and any closure. */
export async function linkedEnd(
  deps: LinkedEndDeps,
  instance: Instance,
  userId: number,
): Promise<SessionEnd> {
  const phone = await phoneOf(deps, instance.name);
  const closure = await deps.onLinked?.(instance, userId, phone).catch(() => undefined);
  return { kind: "authorized", phone, ...(closure ? { closure } : {}) };
}

async function phoneOf(deps: LinkedEndDeps, instanceName: string): Promise<string | undefined> {
  const instance = deps.instances.find(instanceName);
  if (!instance) return undefined;
  try {
    const settings = await deps.greenApi.getWaSettings(instance, { timeoutMs: 5_000 });
    return settings.phone || undefined;
  } catch {
    return undefined; // the phone number is a courtesy; the login itself succeeded
  }
}

/** Puts the final status on screen (waiting out 429s a few times), then forgets the session. */
export async function closeSession(
  deps: { screen: QrScreen; store: SessionStore },
  record: SessionRecord,
  end: SessionEnd,
  logger: Logger,
): Promise<SessionOutcome> {
  const target = { chatId: record.chatId, messageId: record.messageId };
  let shown: ScreenOutcome = { kind: "failed", description: "not tried" };
  const deadline = Date.now() + FINAL_EDIT_DEADLINE_MS;
  for (let attempt = 1; attempt <= FINAL_EDIT_MAX_ATTEMPTS; attempt++) {
    shown = await deps.screen.showEnd(target, record.instance, end, localeOf(record.locale));
    if (shown.kind === "done" || shown.kind === "gone" || shown.kind === "bug") break;
    const waitMs =
      shown.kind === "rate-limited" ? shown.retryAfterMs : Math.min(1000 * attempt, 10_000);
    if (Date.now() + waitMs > deadline) break;
    await sleep(waitMs);
  }
  await deps.store.finish(record.instance, record.sessionId);
  logger.info(
    { end: end.kind, shown: shown.kind, action: "qr", result: end.kind },
    "QR session ended",
  );
  return end;
}
