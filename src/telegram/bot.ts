import { type Api, Bot, type BotError, type Transformer } from "grammy";
import type { Access } from "../access/access.js";
import { ReplyCooldown } from "../access/reply-cooldown.js";
import type { Logger } from "../shared/logger.js";
import { type RefusalCounter, uncounted } from "../shared/refusals.js";
import { type BotContext, withLanguage } from "./context.js";
import { accessGuard } from "./features/access-guard/index.js";
import { type AdminFeatureDeps, adminFeature } from "./features/admin/index.js";
import { type AuditFeatureDeps, auditFeature } from "./features/audit/index.js";
import { type ClaimFeatureDeps, claimFeature } from "./features/claim/index.js";
import { type DigestPagerFeatureDeps, digestPagerFeature } from "./features/digest-pager/index.js";
import { type InstancesFeatureDeps, instancesFeature } from "./features/instances/index.js";
import { type CodeFeatureDeps, codeFeature } from "./features/code/index.js";
import { helpFeature } from "./features/help/index.js";
import { type HistoryFeatureDeps, historyFeature } from "./features/history/index.js";
import { type LinkFeatureDeps, linkFeature } from "./features/link/index.js";
import { type MuteFeatureDeps, muteFeature } from "./features/mute/index.js";
import { pastedTokens } from "./features/pasted-tokens/index.js";
import { type QrFeatureDeps, qrFeature } from "./features/qr/index.js";
import { type StatusFeatureDeps, statusFeature } from "./features/status/index.js";
import { type WebhookFeatureDeps, webhookFeature } from "./features/webhook/index.js";
import { lateCallbackAnswers } from "./late-answers.js";

/** What each feature needs, each built by its own small factory in app/bot-features.ts. */
export interface FeatureDeps {
  qr: QrFeatureDeps;
  code: CodeFeatureDeps;
  status: StatusFeatureDeps;
  admin: AdminFeatureDeps;
  audit: AuditFeatureDeps;
  instances: InstancesFeatureDeps;
  mute: MuteFeatureDeps;
  claim: ClaimFeatureDeps;
  digestPager: DigestPagerFeatureDeps;
  webhook: WebhookFeatureDeps;
  history: HistoryFeatureDeps;
  link: LinkFeatureDeps;
}

export interface BotOptions {
  token: string;
  apiRoot: string;
  access: Access;
  logger: Logger;
  /** Installed on the bot's Api in this order: pacing, then capped auto-retry (app/telegram-api). */
  transformers: readonly Transformer[];
  /** Counts refused updates (the metrics); nothing by default. */
  refusals?: RefusalCounter;
  /** Learns the alerts' language from the first team lead who writes (ALERT_LANGUAGE unset). */
  alertLanguage?: { learn(userId: number, languageCode: string | undefined): Promise<void> };
}

/**
 * The grammY bot with its features. Features get their dependencies from `wire`, which receives
 * the bot's own Api (capped auto-retry) for the messages the bot sends itself.
 */
export function createBot(options: BotOptions, wire: (api: Api) => FeatureDeps): Bot<BotContext> {
  const { logger } = options;
  const bot = new Bot<BotContext>(options.token, { client: { apiRoot: options.apiRoot } });
  // A late answer to a button press is not a failure of the press (late-answers.ts).
  bot.api.config.use(lateCallbackAnswers(logger), ...options.transformers);
  const deps = wire(bot.api);

  const strangerReplies = new ReplyCooldown(STRANGER_REPLY_INTERVAL_MS);
  const guarded = {
    access: options.access,
    strangerReplies,
    refusals: options.refusals ?? uncounted,
    logger,
  };
  bot.use(timed(logger));
  bot.use(withLanguage);
  bot.use(pastedTokens(guarded));
  bot.use(accessGuard(guarded));
  bot.use((ctx, next) => {
    // Best effort and off the reply's path: the alerts' language, once a lead is heard from.
    const from = ctx.from;
    if (from && options.alertLanguage) {
      options.alertLanguage
        .learn(from.id, from.language_code)
        .catch((error: unknown) => logger.debug({ err: error }, "alert language not stored"));
    }
    return next();
  });
  bot.errorBoundary(
    (error) => apologize(error, logger),
    // Before help: they answer `/start qr-shop` deep links, help answers the plain /start.
    qrFeature(deps.qr),
    codeFeature(deps.code),
    linkFeature(deps.link),
    helpFeature(),
    statusFeature(deps.status),
    adminFeature(deps.admin),
    auditFeature(deps.audit),
    instancesFeature(deps.instances),
    muteFeature(deps.mute),
    claimFeature(deps.claim),
    digestPagerFeature(deps.digestPager),
    webhookFeature(deps.webhook),
    historyFeature(deps.history),
  );
  // Buttons no feature recognizes (forged, or from an older version) still get an answer.
  bot.on("callback_query", (ctx) => ctx.answerCallbackQuery({ text: ctx.t.callbacks.stale }));

  bot.catch((error) =>
    logger.error({ err: error.error, updateId: error.ctx.update.update_id }, "unhandled bot error"),
  );
  return bot;
}

/** Somebody not on the team gets at most one reply this often (see ReplyCooldown). */
const STRANGER_REPLY_INTERVAL_MS = 60_000;

/** One debug line per update once every handler is done: how long it took, whatever happened. */
function timed(logger: Logger) {
  return async (ctx: BotContext, next: () => Promise<void>) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      logger.debug(
        { updateId: ctx.update.update_id, ms: Math.round(performance.now() - started) },
        "update handled",
      );
    }
  };
}

/** A failure inside a handler (Redis down, Telegram refusing): say so briefly, never hang. */
async function apologize(error: BotError<BotContext>, logger: Logger): Promise<void> {
  const { ctx } = error;
  logger.error({ err: error.error, updateId: ctx.update.update_id }, "handler failed");
  try {
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t.temporarilyUnavailable });
    else if (ctx.chat) await ctx.reply(ctx.t.temporarilyUnavailable);
  } catch {
    // The apology is best effort; the error is logged above.
  }
}
