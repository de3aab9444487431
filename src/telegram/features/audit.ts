import { Composer } from "grammy";
import type { AuditEntry, AuditLog } from "../../audit/audit-log.js";
import type { BotContext } from "../context.js";
import type { Texts } from "../i18n/index.js";
import { onCommand } from "../commands.js";

/** How many actions /audit shows (AuditLog keeps more). */
export const AUDIT_SHOWN = 20;

/** "2025-06-01 14:03:07": operators in different time zones compare notes in UTC. */
export function utcTime(at: number): string {
  return new Date(at).toISOString().replace("T", " ").slice(0, 19);
}

/** The /audit reply: newest first, one line per action. */
export function formatAudit(entries: readonly AuditEntry[], t: Texts): string {
  if (entries.length === 0) return t.audit.empty;
  const lines = entries.map((entry) => t.audit.line({ ...entry, time: utcTime(entry.at) }));
  return [t.audit.title(entries.length), ...lines].join("\n");
}

/** How many stored actions /audit reads to find the reader's newest 20. */
const AUDIT_SCANNED = 200;

/**
 * `/audit`: the last actions on the instances the reader administers (all of them for ADMIN_IDS),
 * and nothing of the others: not even that they exist.
 */
export function auditFeature(deps: { audit: AuditLog }): Composer<BotContext> {
  const composer = new Composer<BotContext>();
  onCommand(composer, "audit", async (ctx) => {
    // Asked here too, not only through the access tables: admin-only whatever the guard decided.
    const mine = new Set(ctx.access.names("administer"));
    if (mine.size === 0) return ctx.reply(ctx.t.access.needs("administer"));
    const entries = (await deps.audit.recent(AUDIT_SCANNED))
      .filter((entry) => mine.has(entry.instance))
      .slice(0, AUDIT_SHOWN);
    await ctx.reply(formatAudit(entries, ctx.t), { parse_mode: "HTML" });
  });
  return composer;
}
