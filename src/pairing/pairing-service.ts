import { randomBytes } from "node:crypto";
import type { Queue } from "bullmq";
import type { AuditLog } from "../audit/audit-log.js";
import type { Instance } from "../config/index.js";
import type { GreenApiClient } from "../green-api/client.js";
import { endStateOf, GreenApiError } from "../green-api/errors.js";
import type { StateInstance } from "../green-api/schemas.js";
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
  /**
   * Right after a confirmed log out: the state check is skipped (GREEN-API may still say
   * "authorized" for a moment, and the log out is what the asker wanted).
   */
  afterLogout?: boolean;
  /** The asker may log the instance out or reboot it: the buttons for that are offered then. */
  mayAdminister?: boolean;
}

/** `gone`: the code message was deleted (or the chat blocked the bot): nothing to watch. */
export type CodeResult =
  "issued" | "cooldown" | "failed" | "authorized" | "starting" | "needs-logout" | "gone";

/** GREEN-API's message asks for a log out ("…You need to make log out"). */
const saysLogOut = (message: string | undefined) =>
  message !== undefined && /log\s*out/i.test(message);

/** How long /code waits for the state check (its turn under the 1/s limit included). */
const STATE_CHECK_TIMEOUT_MS = 5_000;

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

  /**
   * Ms until a new code may be asked for `instance` (0: now). "New code" checks it first, so a
   * press within the cooldown keeps the valid code on screen instead of replacing it.
   */
  async cooldownLeftMs(instance: string): Promise<number> {
    if (this.options.cooldownMs <= 0) return 0;
    return this.deps.store.cooldownLeft(instance);
  }

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
    if (request.target) {
      const shown = await screen.showRequesting(target, instance.name, request.phone, locale);
      if (shown.kind === "gone") return this.gone(request, shown.description);
    }
    // Kept before anything else: "Log out & get a code" and "New code" ask for the same number.
    await store.rememberPhone(target.chatId, target.messageId, request.phone);

    // GREEN-API issues a code to a logged-out instance only (facts.md): ask for its state first.
    if (!request.afterLogout) {
      const refusal = await this.refusalByState(request, target, locale);
      if (refusal) {
        await audit(`refused: ${refusal}`, target.chatId);
        return refusal;
      }
    }

    let code: string;
    try {
      const answer = await this.deps.greenApi.getAuthorizationCode(instance, request.phone);
      if (!answer.status || !answer.code) {
        const said = answer.message?.slice(0, 100);
        // Only when GREEN-API's own words say so ("Instance has auth. You need to make log out",
        // as `qr` says it) is a log out the fix, one tap away.
        if (saysLogOut(answer.message) && !request.afterLogout) {
          this.deps.logger.warn(
            { instance: instance.name, phone, said },
            "pairing code refused: log out first",
          );
          await screen.showNeedsLogout(
            target,
            instance.name,
            request.mayAdminister ?? false,
            locale,
          );
          await audit("refused: needs logout", target.chatId);
          return "needs-logout";
        }
        // Otherwise `status: false` is GREEN-API's "an error occurred, try to get the code again"
        // (GetAuthorizationCode's docs): a retry, under the cooldown already taken.
        this.deps.logger.warn({ instance: instance.name, phone, said }, "pairing code not issued");
        const retryIn = Math.ceil((await store.cooldownLeft(instance.name)) / 1000);
        await screen.showNotIssued(target, instance.name, retryIn, locale);
        await audit("failed: not issued", target.chatId);
        return "failed";
      }
      code = groupPairingCode(answer.code);
    } catch (error) {
      const end = endStateOf(error);
      // A reason the screen words (GREEN-API's end states, "rate-limited"), or the failure's name.
      const reason = end ?? (error instanceof GreenApiError ? error.failure : "refused");
      this.deps.logger.warn(
        { err: error, instance: instance.name, phone },
        "pairing code request failed",
      );
      await screen.showFailed(target, instance.name, reason, locale);
      await audit(
        `failed: ${end ?? (error instanceof GreenApiError ? error.failure : "refused")}`,
        target.chatId,
      );
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
    const shown = await screen.showCode(
      target,
      instance.name,
      code,
      request.phone,
      this.options.codeTtlMs,
      locale,
    );
    if (shown.kind === "gone") {
      // Nobody can see the code: no watcher edits a message that is gone for good.
      await store.finish(instance.name, sessionId);
      return this.gone(request, shown.description);
    }
    await enqueuePairingWatch(this.deps.queue, { instance: instance.name, sessionId });
    this.deps.logger.info({ instance: instance.name, phone, userId }, "pairing code issued");
    await audit("issued", target.chatId);
    return "issued";
  }

  /**
   * Why no code may be asked for now, said on the message: the instance is linked (log out
   * first: offered behind a confirmation), or starting (wait, or reboot). Undefined: go ahead
   * (a state check that fails says nothing: the code request itself will tell).
   */
  private async refusalByState(
    request: CodeRequest,
    target: MessageRef,
    locale: Locale,
  ): Promise<"authorized" | "starting" | "failed" | undefined> {
    const { instance } = request;
    const { greenApi, screen } = this.deps;
    const timeouts = { timeoutMs: STATE_CHECK_TIMEOUT_MS, maxWaitMs: STATE_CHECK_TIMEOUT_MS };
    let state: StateInstance;
    try {
      state = await greenApi.getStateInstance(instance, timeouts);
    } catch (error) {
      const end = endStateOf(error);
      if (!end) return undefined;
      await screen.showFailed(target, instance.name, end, locale);
      return "failed";
    }
    const mayAdminister = request.mayAdminister ?? false;
    if (state === "authorized") {
      const phone = await greenApi
        .getWaSettings(instance, { timeoutMs: STATE_CHECK_TIMEOUT_MS })
        .then((settings) => settings.phone || undefined)
        .catch(() => undefined);
      await screen.showAlreadyAuthorized(target, instance.name, phone, mayAdminister, locale);
      return "authorized";
    }
    if (state === "starting") {
      await screen.showStarting(target, instance.name, mayAdminister, locale);
      return "starting";
    }
    return undefined;
  }

  private gone(request: CodeRequest, reason: string): "gone" {
    this.deps.logger.info(
      { instance: request.instance.name, reason },
      "pairing-code message is gone; nothing more to show",
    );
    return "gone";
  }
}
