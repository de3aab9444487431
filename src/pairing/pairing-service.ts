import { randomBytes } from "node:crypto";
import type { Queue } from "bullmq";
import type { AuditLog } from "../audit/audit-log.js";
import type { Instance } from "../config/index.js";
import type { GreenApiClient } from "../green-api/client.js";
import { GreenApiError } from "../green-api/errors.js";
import type { Logger } from "../shared/logger.js";
import type { Locale } from "../shared/locale.js";
import type { CodeScreen, MessageRef } from "./ports.js";
import { enqueuePairingWatch, type PairingJob } from "./pairing-queue.js";
import type { PairingStore } from "./pairing-store.js";
import { formatPhone, groupPairingCode } from "./phone.js";

export interface PairingOptions {
  /** How long a code works (GREEN-API: about 2.5 minutes). */
  codeTtlMs: number;
  /** At most one code request per instance this often. */
  cooldownMs: number;
}

export interface CodeRequest {
  instance: Instance;
  phone: string;
  userId: number;
  locale: Locale;
  /** Reuse this message (a "New code" press); otherwise a new one goes to `chatId`. */
  target?: MessageRef;
  chatId: number;
  replyTo?: number;
}

export type CodeResult = "issued" | "cooldown" | "failed";

/**
 * Gets a pairing code from GREEN-API (its recommended way to link, and the only one for someone
 * with one phone), shows it, and queues a watcher that edits the message when the instance logs
 * in or the code expires.
 */
export class PairingService {
  constructor(
    private readonly deps: {
      greenApi: GreenApiClient;
      store: PairingStore;
      queue: Queue<PairingJob>;
      screen: CodeScreen;
      audit: AuditLog;
      logger: Logger;
    },
    private readonly options: PairingOptions,
  ) {}

  async request(request: CodeRequest): Promise<CodeResult> {
    const { instance, locale, userId } = request;
    const { screen, store } = this.deps;
    // Logs never carry a whole phone number.
    const phone = formatPhone(request.phone, "masked");
    const audit = (result: string, chatId: number) =>
      this.deps.audit.record({ action: "code", userId, chatId, instance: instance.name, result });

    // The message first: a chat we cannot write to (403) must not use up the cooldown.
    const target = request.target ?? {
      chatId: request.chatId,
      messageId: await screen.sendRequesting(
        request.chatId,
        instance.name,
        request.phone,
        locale,
        request.replyTo,
      ),
    };
    const waitMs = await store.takeCooldown(instance.name, this.options.cooldownMs);
    if (waitMs > 0) {
      await screen.showCooldown(target, instance.name, Math.ceil(waitMs / 1000), locale);
      await audit("refused: cooldown", target.chatId);
      return "cooldown";
    }
    if (request.target) await screen.showRequesting(target, instance.name, request.phone, locale);
    await store.rememberPhone(target.chatId, target.messageId, request.phone);

    let code: string;
    try {
      const answer = await this.deps.greenApi.getAuthorizationCode(instance, request.phone);
      if (!answer.status || !answer.code) throw new Error("GREEN-API answered status false");
      code = groupPairingCode(answer.code);
    } catch (error) {
      const reason =
        error instanceof GreenApiError && error.isCredentialsRejected
          ? "credentials rejected (check idInstance / apiTokenInstance)"
          : error instanceof GreenApiError
            ? error.failure
            : "refused";
      this.deps.logger.warn(
        { err: error, instance: instance.name, phone },
        "pairing code request failed",
      );
      await screen.showFailed(target, instance.name, reason, locale);
      await audit(`failed: ${reason}`, target.chatId);
      return "failed";
    }

    const sessionId = randomBytes(6).toString("base64url");
    const expiresAt = Date.now() + this.options.codeTtlMs;
    await store.save(
      {
        sessionId,
        instance: instance.name,
        chatId: target.chatId,
        messageId: target.messageId,
        phone: request.phone,
        code,
        startedBy: userId,
        expiresAt,
        locale,
      },
      this.options.codeTtlMs + 10 * 60_000,
    );
    await screen.showCode(
      target,
      instance.name,
      code,
      request.phone,
      this.options.codeTtlMs,
      locale,
    );
    await enqueuePairingWatch(this.deps.queue, { instance: instance.name, sessionId });
    this.deps.logger.info({ instance: instance.name, phone, userId }, "pairing code issued");
    await audit("issued", target.chatId);
    return "issued";
  }
}
