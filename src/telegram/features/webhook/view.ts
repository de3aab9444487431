import type {
  OffResult,
  OnResult,
  WebhookInspection,
} from "../../../webhook-setup/webhook-setup.js";
import type { Texts } from "../../i18n/index.js";

/**
 * An application's webhook URL as greenlight shows it: scheme and host only. Its path can be a
 * secret of its own (an n8n or Make webhook id), so it is never shown whole.
 */
export function shownUrl(url: string): string {
  try {
    const parsed = new URL(url.trim());
    const more = parsed.pathname.length > 1 || parsed.search !== "";
    return `${parsed.protocol}//${parsed.host}${more ? "/…" : ""}`;
  } catch {
    return "(not a URL)";
  }
}

/** "2026-12-06 12:03": operators compare notes in UTC. */
function utc(at: number): string {
  return new Date(at).toISOString().replace("T", " ").slice(0, 16);
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** /webhook <instance>: where it points now, what greenlight switched, whether it took effect. */
export function inspectionText(instance: string, view: WebhookInspection, t: Texts): string {
  const w = t.webhook;
  const lines = [w.title(instance)];
  const now = view.now;
  if (now.kind === "unreadable") lines.push(w.now.unreadable(t.greenApi.failures[now.reason]));
  else {
    if (now.pointsAtGreenlight) lines.push(w.now.greenlight);
    else if (now.webhookUrl.trim() === "") lines.push(w.now.none);
    else lines.push(w.now.app(shownUrl(now.webhookUrl)));
    if (now.stateWebhook !== undefined) lines.push(w.now.stateWebhook(now.stateWebhook));
  }
  const switched = view.switched;
  if (!switched) lines.push("", w.notSwitched(instance));
  else {
    lines.push("", w.switched(utc(switched.at), switched.userId));
    lines.push(switched.forwardUrl ? w.forwardTo(shownUrl(switched.forwardUrl)) : w.noForward);
    if (switched.turnedStateWebhookOn) lines.push(w.stateTurnedOn);
    lines.push(
      switched.firstNotificationAt === undefined
        ? w.notYet
        : w.tookEffect(utc(switched.firstNotificationAt)),
    );
  }
  const backlog = view.backlog;
  if (backlog) {
    const oldest = backlog.oldestAt === undefined ? undefined : utc(backlog.oldestAt);
    lines.push("", w.backlog(backlog.count, size(backlog.bytes), oldest));
    if (backlog.failingSince !== undefined) lines.push(w.failingSince(utc(backlog.failingSince)));
    if (backlog.deadLettered > 0) lines.push(w.deadLettered(backlog.deadLettered));
  }
  if (view.missing.length > 0) lines.push("", w.notConfigured(view.missing.join(", ")));
  return lines.join("\n");
}

/** What a confirmed /webhook on came to (the second question is the feature's, not a result). */
export function onResultText(
  instance: string,
  result: Exclude<OnResult, { kind: "needs-polling-ack" }>,
  t: Texts,
): string {
  const w = t.webhook;
  switch (result.kind) {
    case "not-configured":
      return w.notConfigured(result.missing.join(", "));
    case "failed":
      return w.failed(instance, t.greenApi.failures[result.reason], result.mayHaveApplied);
    case "already-on":
      return w.alreadyOn(instance);
    case "private-target":
      return w.privateTarget(instance, shownUrl(result.forwardUrl));
    case "done":
      return w.switchedOn(
        instance,
        result.forwardUrl === undefined ? undefined : shownUrl(result.forwardUrl),
        result.turnedStateWebhookOn,
      );
  }
}

export function offResultText(instance: string, result: OffResult, t: Texts): string {
  const w = t.webhook;
  switch (result.kind) {
    case "not-configured":
      return w.notConfigured(result.missing.join(", "));
    case "failed":
      return w.failed(instance, t.greenApi.failures[result.reason], result.mayHaveApplied);
    case "not-on":
      return w.notOn(instance);
    case "changed-since":
      return w.changedSince(instance);
    case "done":
      return w.restored(
        instance,
        result.restoredUrl.trim() === "" ? undefined : shownUrl(result.restoredUrl),
        result.restoredStateWebhook,
      );
  }
}
