import type { Api, InlineKeyboard } from "grammy";
import { describePhone } from "../pairing/phone.js";
import type { CodeScreen } from "../pairing/ports.js";
import type { Closure } from "../shared/closure.js";
import type { Locale } from "../shared/locale.js";
import { closureLines } from "./alert-view.js";
import { type Texts, textsFor } from "./i18n/index.js";
import { codeKeyboards } from "./features/code/keyboard.js";
import { noButtons } from "./keyboards.js";
import { phoneForChat, phoneVisibilityIn } from "./phone-privacy.js";
import type { MessageRef } from "../shared/screen.js";
import { classifyTelegramError, type TelegramOutcome } from "./telegram-errors.js";

/** The text message of a pairing-code session: the code, then "authorized" or "expired". */
export class PairingScreen implements CodeScreen {
  constructor(private readonly api: Api) {}

  async send(chatId: number, text: string, replyTo?: number): Promise<number> {
    const message = await this.api.sendMessage(chatId, text, {
      parse_mode: "HTML",
      ...(replyTo
        ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } }
        : {}),
    });
    return message.message_id;
  }

  /** "Asking GREEN-API…", naming the number already, so that a wrong one shows at once. */
  sendRequesting(
    chatId: number,
    instance: string,
    phone: string,
    locale: Locale,
    replyTo?: number,
  ): Promise<number> {
    const t = textsFor(locale);
    return this.send(chatId, t.code.requesting(instance, phoneForChat(phone, chatId)), replyTo);
  }

  showRequesting(target: MessageRef, instance: string, phone: string, locale: Locale) {
    const t = textsFor(locale);
    const text = t.code.requesting(instance, phoneForChat(phone, target.chatId));
    return this.edit(target, text, false, instance, t);
  }

  /** The code, and the number it is for in international format, so that a wrong one shows. */
  showCode(
    target: MessageRef,
    instance: string,
    code: string,
    phone: string,
    validMs: number,
    locale: Locale,
  ) {
    const t = textsFor(locale);
    const view = describePhone(phone);
    const shown = phoneVisibilityIn(target.chatId) === "full" ? view.international : view.masked;
    const landline = view.mobile === false;
    return this.edit(
      target,
      t.code.issued(instance, code, shown, validMs, landline),
      true,
      instance,
      t,
    );
  }

  /** `reason`: a GREEN-API end state or "rate-limited", worded here; else the failure's name. */
  showFailed(target: MessageRef, instance: string, reason: string, locale: Locale) {
    const t = textsFor(locale);
    const reasons = t.greenApi.reasons as Record<string, string | undefined>;
    const worded = reasons[reason] ?? reason;
    return this.edit(target, t.code.failed(instance, worded), true, instance, t);
  }

  showNotIssued(target: MessageRef, instance: string, retryInSeconds: number, locale: Locale) {
    const t = textsFor(locale);
    return this.edit(target, t.code.notIssued(instance, retryInSeconds), true, instance, t);
  }

  showCooldown(target: MessageRef, instance: string, seconds: number, locale: Locale) {
    const t = textsFor(locale);
    return this.edit(target, t.code.cooldown(instance, seconds), true, instance, t);
  }

  showAuthorized(
    target: MessageRef,
    instance: string,
    phone: string | undefined,
    locale: Locale,
    closure?: Closure,
  ) {
    const t = textsFor(locale);
    const shown = phone ? phoneForChat(phone, target.chatId) : undefined;
    const text = [t.code.authorized(instance, shown), ...closureLines(closure, t)].join("\n");
    return this.edit(target, text, false, instance, t);
  }

  showExpired(target: MessageRef, instance: string, locale: Locale) {
    const t = textsFor(locale);
    return this.edit(target, t.code.expired(instance), true, instance, t);
  }

  /** No code for a linked instance (GREEN-API's rule); an admin gets "Log out & get a code". */
  showAlreadyAuthorized(
    target: MessageRef,
    instance: string,
    phone: string | undefined,
    mayAdminister: boolean,
    locale: Locale,
  ) {
    const t = textsFor(locale);
    const shown = phone ? phoneForChat(phone, target.chatId) : undefined;
    const keyboards = codeKeyboards(t);
    return this.editWith(
      target,
      t.code.alreadyAuthorized(instance, shown, mayAdminister),
      mayAdminister ? keyboards.logoutForCode(instance) : noButtons(),
    );
  }

  showNeedsLogout(target: MessageRef, instance: string, mayAdminister: boolean, locale: Locale) {
    const t = textsFor(locale);
    return this.editWith(
      target,
      t.code.needsLogout(instance, mayAdminister),
      mayAdminister ? codeKeyboards(t).logoutForCode(instance) : noButtons(),
    );
  }

  /** No code while the instance starts: wait, or (an admin) reboot it. */
  showStarting(target: MessageRef, instance: string, mayAdminister: boolean, locale: Locale) {
    const t = textsFor(locale);
    return this.editWith(
      target,
      t.code.starting(instance, mayAdminister),
      codeKeyboards(t).whileStarting(instance, mayAdminister),
    );
  }

  private edit(
    target: MessageRef,
    text: string,
    withButtons: boolean,
    instance: string,
    t: Texts,
  ): Promise<TelegramOutcome> {
    return this.editWith(
      target,
      text,
      withButtons ? codeKeyboards(t).afterCode(instance) : noButtons(),
    );
  }

  private async editWith(
    target: MessageRef,
    text: string,
    keyboard: InlineKeyboard,
  ): Promise<TelegramOutcome> {
    try {
      await this.api.editMessageText(target.chatId, target.messageId, text, {
        parse_mode: "HTML",
        reply_markup: keyboard,
      });
      return { kind: "done" };
    } catch (error) {
      return classifyTelegramError(error);
    }
  }
}
