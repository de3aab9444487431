import type { LinkRecord, LinkState } from "../../../link-page/link-rules.js";
import { clock } from "../../alert-view.js";
import type { Texts } from "../../i18n/index.js";

type Shown = Pick<LinkRecord, "instance" | "expiresAt"> &
  Partial<
    Pick<
      LinkRecord,
      "openedAt" | "openedOn" | "codeRequestedAt" | "linkedAt" | "linkedAs" | "revokedAt"
    >
  >;

/**
 * The operator's link message: the link while it lives (with its expiry), then what happened to
 * it, one line per event, so the operator watches the visitor's progress in one place.
 */
export function linkText(t: Texts, link: Shown, state: LinkState, url: string | undefined): string {
  const l = t.link;
  const alive = (state === "live" || state === "opened") && url !== undefined;
  const lines = [
    alive ? l.live(link.instance, url, clock(link.expiresAt, t)) : l.dead(link.instance),
  ];
  if (link.openedAt !== undefined)
    lines.push(l.opened(clock(link.openedAt, t), link.openedOn ?? "?"));
  if (link.codeRequestedAt !== undefined)
    lines.push(l.codeRequested(clock(link.codeRequestedAt, t)));
  if (link.linkedAt !== undefined)
    lines.push(l.linked(link.instance, link.linkedAs, clock(link.linkedAt, t)));
  if (link.revokedAt !== undefined) lines.push(l.revoked(clock(link.revokedAt, t)));
  if (state === "expired") lines.push(l.expired);
  return lines.join("\n");
}
