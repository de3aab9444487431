import { type CallbackQueryContext, Composer } from "grammy";
import type { ConfirmationStore, MessageAddress } from "../../../access/confirmation-store.js";
import type { Instance } from "../../../config/index.js";
import { confirmedStep } from "../../../instance-actions/confirmed-action.js";
import type { WebhookSetup } from "../../../webhook-setup/webhook-setup.js";
import { webhookCallbacks } from "../../callback-data.js";
import { onCommand } from "../../commands.js";
import { answerNotRun } from "../../confirm-answers.js";
import type { BotContext } from "../../context.js";
import { missAnswer, missText } from "../../instance-replies.js";
import { confirmKeyboard, type WebhookQuestion } from "./keyboard.js";
import { inspectionText, offResultText, onResultText, shownUrl } from "./view.js";

export interface WebhookFeatureDeps {
  setup: WebhookSetup;
  confirmations: ConfirmationStore;
}

/** The name each question is armed under (access/confirmation.ts): one Yes answers one question. */
const ARMED_AS: Record<WebhookQuestion, string> = {
  on: "webhook-on",
  "on-polling": "webhook-on-polling",
  off: "webhook-off",
};

/**
 * `/webhook <instance>` (the set-up), `/webhook <instance> on|off` (behind a Yes/No; on asks a
 * second one when the instance has no webhook URL). Admins only: it shows where the application
 * receives notifications and changes it (webhook-setup/).
 */
export function webhookFeature(deps: WebhookFeatureDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();

  onCommand(composer, "webhook", async (ctx) => {
    const { t } = ctx;
    const [name, verb, ...rest] = ctx.match.trim().split(/\s+/).filter(Boolean);
    const mode = verb?.toLowerCase();
    // Admin-only, asked here as well as in the access tables (per instance: the lookup below).
    if (!name && ctx.access.names("administer").length === 0)
      return ctx.reply(t.access.needs("administer"));
    if (!name || rest.length > 0 || (mode !== undefined && mode !== "on" && mode !== "off"))
      return ctx.reply(t.webhook.usage, { parse_mode: "HTML" });
    const found = ctx.access.lookup(name, "administer");
    if (!found.found) return ctx.reply(missText(ctx, found, name), { parse_mode: "HTML" });
    const instance = found.instance;
    if (mode === undefined) {
      const view = await deps.setup.inspect(instance);
      return ctx.reply(inspectionText(instance.name, view, t), { parse_mode: "HTML" });
    }
    const missing = deps.setup.missing;
    if (missing.length > 0)
      return ctx.reply(t.webhook.notConfigured(missing.join(", ")), { parse_mode: "HTML" });
    if (mode === "off") {
      const restorable = await deps.setup.restorable(instance);
      if (!restorable) return ctx.reply(t.webhook.notOn(instance.name), { parse_mode: "HTML" });
      const url = restorable.webhookUrl.trim() === "" ? undefined : shownUrl(restorable.webhookUrl);
      return ask(deps, ctx, "off", instance.name, t.webhook.confirmOff(instance.name, url));
    }
    const preview = await deps.setup.preview(instance);
    if (preview.kind !== "ask")
      return ctx.reply(onResultText(instance.name, preview, t), { parse_mode: "HTML" });
    const forward = preview.forwardUrl === undefined ? undefined : shownUrl(preview.forwardUrl);
    const text = t.webhook.confirmOn(instance.name, forward, preview.turnsStateWebhookOn);
    return ask(deps, ctx, "on", instance.name, text);
  });

  composer.callbackQuery(webhookCallbacks.pattern, (ctx) => onButton(deps, ctx));
  return composer;
}

/** Sends the question with its Yes/No and arms it for the asker. */
async function ask(
  deps: WebhookFeatureDeps,
  ctx: BotContext,
  question: WebhookQuestion,
  instance: string,
  text: string,
) {
  const message = await ctx.reply(text, {
    parse_mode: "HTML",
    reply_markup: confirmKeyboard(question, instance, ctx.t),
  });
  await deps.confirmations.arm(
    { chatId: ctx.chat?.id ?? 0, messageId: message.message_id },
    { action: ARMED_AS[question], instance, userId: ctx.from?.id ?? 0 },
  );
}

/** Yes, the second Yes and No: the instance is checked again first. */
async function onButton(deps: WebhookFeatureDeps, ctx: CallbackQueryContext<BotContext>) {
  const callback = webhookCallbacks.decode(ctx.callbackQuery.data);
  const message = ctx.callbackQuery.message;
  if (!callback || !message) return ctx.answerCallbackQuery({ text: ctx.t.callbacks.stale });
  const found = ctx.access.lookup(callback.instance, "administer");
  if (!found.found) return ctx.answerCallbackQuery({ text: missAnswer(ctx, found) });
  const where = { chatId: message.chat.id, messageId: message.message_id };
  switch (callback.action) {
    case "no": {
      const decision = await deps.confirmations.withdraw(where, ctx.from.id);
      if (decision === "not-yours")
        return ctx.answerCallbackQuery({
          text: ctx.t.access.confirm.notYours(found.instance.name),
        });
      await ctx.answerCallbackQuery();
      await ctx.editMessageText(ctx.t.webhook.kept(found.instance.name), { parse_mode: "HTML" });
      return;
    }
    case "on-yes":
      return confirmOn(deps, ctx, found.instance, where, "on");
    case "on-sure":
      return confirmOn(deps, ctx, found.instance, where, "on-polling");
    case "off-yes":
      return confirmOff(deps, ctx, found.instance, where);
  }
}

/** The asker's timely Yes, once: "working…", then the change, then its outcome in its place. */
function confirmed<Result>(
  deps: WebhookFeatureDeps,
  ctx: BotContext,
  instance: Instance,
  where: MessageAddress,
  question: WebhookQuestion,
  run: () => Promise<Result>,
) {
  const pending = {
    action: ARMED_AS[question],
    instance: instance.name,
    userId: ctx.from?.id ?? 0,
  };
  return confirmedStep(
    deps.confirmations,
    where,
    pending,
    async () => {
      await ctx.answerCallbackQuery();
      await ctx.editMessageText(ctx.t.webhook.working(instance.name), { parse_mode: "HTML" });
    },
    run,
  );
}

function notRun(ctx: BotContext) {
  return async () => {
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(ctx.t.toolkit.confirm.expired, { parse_mode: "HTML" });
  };
}

async function confirmOn(
  deps: WebhookFeatureDeps,
  ctx: BotContext,
  instance: Instance,
  where: MessageAddress,
  question: "on" | "on-polling",
) {
  const request = { instance, userId: ctx.from?.id ?? 0, chatId: where.chatId };
  const outcome = await confirmed(deps, ctx, instance, where, question, () =>
    deps.setup.switchOn(request, question === "on-polling"),
  );
  if (outcome.kind !== "ran") return answerNotRun(ctx, outcome, instance.name, notRun(ctx));
  const result = outcome.result;
  if (result.kind === "needs-polling-ack") {
    // No webhook URL: the second question in a message of its own (this one's Yes is spent, so a
    // double tap here says "already done" instead of touching the new question).
    await ctx.editMessageText(ctx.t.webhook.secondQuestion(instance.name), { parse_mode: "HTML" });
    return ask(deps, ctx, "on-polling", instance.name, ctx.t.webhook.confirmPolling(instance.name));
  }
  await ctx.editMessageText(onResultText(instance.name, result, ctx.t), { parse_mode: "HTML" });
}

async function confirmOff(
  deps: WebhookFeatureDeps,
  ctx: BotContext,
  instance: Instance,
  where: MessageAddress,
) {
  const request = { instance, userId: ctx.from?.id ?? 0, chatId: where.chatId };
  const outcome = await confirmed(deps, ctx, instance, where, "off", () =>
    deps.setup.switchOff(request),
  );
  if (outcome.kind !== "ran") return answerNotRun(ctx, outcome, instance.name, notRun(ctx));
  await ctx.editMessageText(offResultText(instance.name, outcome.result, ctx.t), {
    parse_mode: "HTML",
  });
}
