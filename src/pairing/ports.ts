import type { Closure } from "../shared/closure.js";
import type { Locale } from "../shared/locale.js";
import type { MessageRef, ScreenOutcome } from "../shared/screen.js";

export type { MessageRef, ScreenOutcome } from "../shared/screen.js";

/**
 * The one text message of a pairing-code session, as the pairing core needs it: each method shows
 * one state in the language of whoever asked (telegram/pairing-screen.ts draws them). A phone
 * number is given whole; the screen decides how much of it a chat may see.
 */
export interface CodeScreen {
  /** "Asking GREEN-API…" as a new message; its id. Throws when the chat takes no message. */
  sendRequesting(
    chatId: number,
    instance: string,
    phone: string,
    locale: Locale,
    replyTo?: number,
  ): Promise<number>;
  showRequesting(
    target: MessageRef,
    instance: string,
    phone: string,
    locale: Locale,
  ): Promise<ScreenOutcome>;
  showCode(
    target: MessageRef,
    instance: string,
    code: string,
    phone: string,
    validMs: number,
    locale: Locale,
  ): Promise<ScreenOutcome>;
  /** `reason`: a GREEN-API end state or "rate-limited" (the screen words them), or a failure. */
  showFailed(
    target: MessageRef,
    instance: string,
    reason: string,
    locale: Locale,
  ): Promise<ScreenOutcome>;
  /**
   * getAuthorizationCode answered `status: false`: by GREEN-API's docs "an error occurred while
   * receiving the code, try to get the code again". A retry (New code, under the cooldown).
   */
  showNotIssued(
    target: MessageRef,
    instance: string,
    retryInSeconds: number,
    locale: Locale,
  ): Promise<ScreenOutcome>;
  showCooldown(
    target: MessageRef,
    instance: string,
    seconds: number,
    locale: Locale,
  ): Promise<ScreenOutcome>;
  showAuthorized(
    target: MessageRef,
    instance: string,
    phone: string | undefined,
    locale: Locale,
    /** Who linked it, when, and GREEN-API's backlog (the proof the incident is closed). */
    closure?: Closure,
  ): Promise<ScreenOutcome>;
  showExpired(target: MessageRef, instance: string, locale: Locale): Promise<ScreenOutcome>;
  /** No code for a linked instance (GREEN-API's rule); an admin gets "Log out & get a code". */
  showAlreadyAuthorized(
    target: MessageRef,
    instance: string,
    phone: string | undefined,
    mayAdminister: boolean,
    locale: Locale,
  ): Promise<ScreenOutcome>;
  /**
   * GREEN-API refused a code to a logged-out instance ("Instance has auth. You need to make log
   * out"): an admin gets "Log out & get a code" (confirmed), others are told to ask one.
   */
  showNeedsLogout(
    target: MessageRef,
    instance: string,
    mayAdminister: boolean,
    locale: Locale,
  ): Promise<ScreenOutcome>;
  /** No code while the instance starts: wait, or (an admin) reboot it. */
  showStarting(
    target: MessageRef,
    instance: string,
    mayAdminister: boolean,
    locale: Locale,
  ): Promise<ScreenOutcome>;
}
