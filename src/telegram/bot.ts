import { type Api, Bot, type BotError, type Transformer } from "grammy";
import type { Access } from "../access/access.js";
import type { InstanceRegistry } from "../config/index.js";
import { ReplyCooldown } from "../access/reply-cooldown.js";
import type { Logger } from "../shared/logger.js";
import { type RefusalCounter, uncounted } from "../shared/refusals.js";
import { type BotContext, withLanguage } from "./context.js";
import { accessGuard } from "./features/access.js";
import { type AdminFeatureDeps, adminFeature } from "./features/admin.js";
import { auditFeature } from "./features/audit.js";
import { type ClaimFeatureDeps, claimFeature } from "./features/claim.js";
import { type DigestPagerFeatureDeps, digestPagerFeature } from "./features/digest-pager.js";
import { instancesFeature } from "./features/instances.js";
import { type CodeFeatureDeps, codeFeature } from "./features/code.js";
import { helpFeature } from "./features/help.js";
import { type MuteFeatureDeps, muteFeature } from "./features/mute.js";
import { pastedTokens } from "./features/pasted-tokens.js";
import { type QrFeatureDeps, qrFeature } from "./features/qr.js";
import { type StatusFeatureDeps, statusFeature } from "./features/status.js";
import { lateCallbackAnswers } from "./late-answers.js";

/** Everything the features need, wired once in app.ts. */
export type FeatureDeps = ClaimFeatureDeps &
  DigestPagerFeatureDeps &
  QrFeatureDeps &
  CodeFeatureDeps &
  StatusFeatureDeps &
  AdminFeatureDeps &
  MuteFeatureDeps & { instances: InstanceRegistry };

export interface BotOptions {
  token: string;
  apiRoot: string;
  access: Access;
  logger: Logger;
  /** Installed on the bot's Api in this order: pacing, then capped auto-retry (app/telegram-api). */
  transformers: readonly Transformer[];
  /** Counts refused updates (the metrics); nothing by default. */
  refusals?: RefusalCounter;
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
  bot.errorBoundary(
    (error) => apologize(error, logger),
    // Before help: they answer `/start qr-shop` deep links, help answers the plain /start.
    qrFeature(deps),
    codeFeature(deps),
    helpFeature(),
    statusFeature(deps),
    adminFeature(deps),
    auditFeature(deps),
    instancesFeature(deps),
    muteFeature(deps),
    claimFeature(deps),
    digestPagerFeature(deps),
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
