import type { SecretRights } from "../access/secret-place.js";
import type { Logger } from "../shared/logger.js";
import type { SessionStore } from "./session-store.js";

/**
 * The access re-check a QR session gets each time a worker starts or resumes it. Rights can be
 * taken away while a session runs (or waits in the queue); the loop itself never asks again, so
 * this is the one place a revoked starter or chat is caught.
 */

/**
 * A session whose starter lost the right (taken off the team) or whose chat lost its place (out
 * of SECRET_CHAT_IDS) since it was asked for is cancelled: the machine then ends it like a
 * Cancel press, with the ordinary card, once it holds the lease.
 */
export async function cancelIfRevoked(
  store: SessionStore,
  rights: SecretRights | undefined,
  instance: string,
  sessionId: string,
  logger: Logger,
): Promise<void> {
  if (!rights) return;
  const record = await store.get(instance);
  if (record?.sessionId !== sessionId || record.cancelledBy !== undefined) return;
  if (rights.mayContinue(record, instance)) return;
  logger.info(
    { startedBy: record.startedBy, chatId: record.chatId },
    "QR session ends: its starter or its chat no longer may see this instance's QR",
  );
  await store.requestCancel(instance, sessionId, record.startedBy);
  await rights.revoked(record, instance, "qr");
}
