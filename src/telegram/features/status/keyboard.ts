import { InlineKeyboard } from "grammy";
import { buttonPhone } from "../../../pairing/known-phones.js";
import { type InstanceReport, needsLinking } from "../../../status/live-check.js";
import { codeCallbacks, qrCallbacks, statusCallbacks } from "../../callback-data.js";
import type { Texts } from "../../i18n/index.js";

/**
 * One row of QR and Code for an instance (/status, live or from the watcher's records): Code goes
 * to the remembered number in one tap when there is one, else it asks for a number.
 */
export function addLinkButtons(
  keyboard: InlineKeyboard,
  t: Texts,
  instance: string,
  phone: string | undefined,
): void {
  keyboard
    .text(t.toolkit.status.qr(instance), qrCallbacks.encode({ action: "start", instance }))
    .text(
      phone
        ? t.alerts.buttons.codeToFor(instance, buttonPhone(phone))
        : t.toolkit.status.code(instance),
      codeCallbacks.encode({ action: phone ? "known" : "ask", instance }),
    )
    .row();
}

/**
 * The live list's buttons: QR and Code for every instance that needs linking (or cannot be
 * reached) and that the reader may link (`mayLink`: a viewer gets no button they could not use),
 * then Refresh (not under /status <instance>).
 */
export function liveKeyboard(
  reports: readonly InstanceReport[],
  t: Texts,
  mayLink: (instance: string) => boolean,
  options: {
    withRefresh: boolean;
    /** Remembered numbers of logged-out instances: their Code button needs no typing. */
    known: ReadonlyMap<string, { phone: string }>;
  },
): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  for (const report of reports) {
    if (!needsLinking(report) || !mayLink(report.name)) continue;
    const phone = report.kind === "state" ? options.known.get(report.name)?.phone : undefined;
    addLinkButtons(keyboard, t, report.name, phone);
  }
  if (!options.withRefresh) return keyboard;
  return keyboard.text(
    t.toolkit.status.refresh,
    statusCallbacks.encode({ action: "refresh", page: 0 }),
  );
}
