import { Composer } from "grammy";
import type { AuditLog } from "../../../audit/audit-log.js";
import type { BotContext } from "../../context.js";
import { formatAudit } from "./view.js";
import { onCommand } from "../../commands.js";

/** How many actions /audit shows (AuditLog keeps more). */
const AUDIT_SHOWN = 20;

/** How many stored actions /audit reads to find the reader's newest 20. */
const AUDIT_SCANNED = 200;

export interface AuditFeatureDeps {
  audit: AuditLog;
  /** First names the bot heard (access/user-names.ts): "Ivan", not "user 1001". */
  userNames: { nameOf(userId: number): Promise<string | undefined> };
}

/**
 * `/audit`: the last actions on the instances the reader administers (all of them for ADMIN_IDS),
 * and nothing of the others: not even that they exist.
 */
export function auditFeature(deps: AuditFeatureDeps): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  onCommand(composer, "audit", async (ctx) => {
    // Asked here too, not only through the access tables: admin-only whatever the guard decided.
    const mine = new Set(ctx.access.names("administer"));
    if (mine.size === 0) return ctx.reply(ctx.t.access.needs("administer"));
    const entries = (await deps.audit.recent(AUDIT_SCANNED))
      .filter((entry) => mine.has(entry.instance))
      .slice(0, AUDIT_SHOWN);
    const people = [...new Set(entries.map((entry) => entry.userId))];
    const names = new Map<number, string>();
    for (const userId of people) {
      const name = await deps.userNames.nameOf(userId).catch(() => undefined);
      if (name) names.set(userId, name);
    }
    await ctx.reply(formatAudit(entries, ctx.t, names), { parse_mode: "HTML" });
  });
  return composer;
}
