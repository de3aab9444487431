import { mayKeepShowing, type SecretRights } from "../access/secret-place.js";
import { AuditLog } from "../audit/audit-log.js";
import { secretChatsOf } from "../config/index.js";
import type { Shared } from "./shared.js";

/**
 * The access model's answer for a QR session or a pairing-code watch that starts or resumes, and
 * its audit line when the asker or the chat lost the right (access/secret-place.ts decides).
 */
export function secretRights(shared: Shared): SecretRights {
  const { config, access, connections, logger } = shared;
  const audit = new AuditLog(
    connections.main,
    config.env.REDIS_PREFIX,
    logger.child({ part: "audit" }),
  );
  const trusted = secretChatsOf(config.env);
  return {
    mayContinue(record, name) {
      const instance = config.instances.find(name);
      const mayOperate =
        instance !== undefined && access.may(record.startedBy, instance, "operate");
      return mayKeepShowing(record, mayOperate, trusted);
    },
    revoked: (record, instance, what) =>
      audit.record({
        action: what === "qr" ? "cancel" : "code",
        userId: record.startedBy,
        chatId: record.chatId,
        instance,
        result: "ended: no longer allowed",
      }),
  };
}
