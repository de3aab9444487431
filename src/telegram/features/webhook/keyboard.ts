import { InlineKeyboard } from "grammy";
import { webhookCallbacks } from "../../callback-data.js";
import type { Texts } from "../../i18n/index.js";

/** Which question a Yes answers: on, the second "nothing polls it", or off. */
export type WebhookQuestion = "on" | "on-polling" | "off";

const YES = {
  on: "on-yes",
  "on-polling": "on-sure",
  off: "off-yes",
} as const satisfies Record<WebhookQuestion, string>;

/** Yes (this question on this instance) and No, under the question. */
export function confirmKeyboard(question: WebhookQuestion, instance: string, t: Texts) {
  const w = t.webhook;
  const label = { on: w.yesOn, "on-polling": w.yesSure, off: w.yesOff }[question];
  return new InlineKeyboard()
    .text(label, webhookCallbacks.encode({ action: YES[question], instance }))
    .text(w.no, webhookCallbacks.encode({ action: "no", instance }));
}
