import type { Instance } from "../config/index.js";
import { GreenApiError } from "../green-api/errors.js";
import type { InstanceSettings } from "../green-api/schemas.js";
import { type ActionFailure, resultOfError } from "../instance-actions/outcome.js";
import { isForwardableUrl } from "../shared/forward-url.js";
import type { Logger } from "../shared/logger.js";
import {
  type OnPlan,
  mayHaveApplied,
  planSwitchOff,
  planSwitchOn,
  recordOf,
  sameUrl,
} from "./plan.js";
import type {
  Backlog,
  GreenlightWebhook,
  RelayBacklog,
  SettingsCalls,
  WebhookAudit,
} from "./ports.js";
import type { WebhookSetupStore } from "./setup-store.js";

export interface WebhookSetupDeps {
  calls: SettingsCalls;
  store: WebhookSetupStore;
  audit: WebhookAudit;
  logger: Logger;
  /** Absent when this process lacks a setting it needs: `missing` names them. */
  greenlight?: GreenlightWebhook;
  missing: readonly string[];
  /** The relay's backlog reader, when the relay is connected. */
  backlog?: RelayBacklog;
  /** FORWARD_PRIVATE_HOSTS: private hosts the application's URL may be on (the relay's rule). */
  privateHosts?: readonly string[];
}

export interface ChangeRequest {
  instance: Instance;
  userId: number;
  chatId: number;
}

export type Failed = { kind: "failed"; reason: ActionFailure; mayHaveApplied: boolean };

/** What /webhook <instance> shows. Never a token; URLs only as the screen chooses to show them. */
export interface WebhookInspection {
  /** What getSettings answered, or why it could not be read. */
  now:
    | { kind: "read"; pointsAtGreenlight: boolean; webhookUrl: string; stateWebhook?: string }
    | { kind: "unreadable"; reason: ActionFailure };
  /** Present while greenlight has the instance switched on. */
  switched?: {
    at: number;
    userId: number;
    forwardUrl?: string;
    turnedStateWebhookOn: boolean;
    /** The first notification through greenlight since the switch: the change took effect. */
    firstNotificationAt?: number;
  };
  backlog?: Backlog;
  /** Settings /webhook on needs that this process lacks. */
  missing: readonly string[];
}

export type OnPreview =
  | { kind: "not-configured"; missing: readonly string[] }
  | Failed
  | { kind: "already-on" }
  | PrivateTarget
  | { kind: "ask"; forwardUrl?: string; turnsStateWebhookOn: boolean };

/**
 * The application's URL is on a private host the relay will not post to (SSRF: anyone with the
 * instance's GREEN-API console sets it): switching would cut the application off, so nothing is.
 */
export type PrivateTarget = { kind: "private-target"; forwardUrl: string };

export type OnResult =
  | { kind: "not-configured"; missing: readonly string[] }
  | Failed
  | { kind: "already-on" }
  | PrivateTarget
  /** The instance has no webhook URL: ask the second confirmation, then call again with it. */
  | { kind: "needs-polling-ack" }
  | { kind: "done"; forwardUrl?: string; turnedStateWebhookOn: boolean };

export type OffResult =
  | { kind: "not-configured"; missing: readonly string[] }
  | Failed
  | { kind: "not-on" }
  | { kind: "changed-since" }
  | { kind: "done"; restoredUrl: string; restoredStateWebhook?: string };

/**
 * /webhook: points an instance's GREEN-API webhook at greenlight and back. On: getSettings, the
 * original kept in Redis (it is also the relay's forward target), then setSettings with
 * greenlight's URL and the instance's own token. Off: the original set back exactly. Every change
 * is audited; the decisions are plan.ts's.
 */
export class WebhookSetup {
  constructor(private readonly deps: WebhookSetupDeps) {}

  async inspect(instance: Instance): Promise<WebhookInspection> {
    const { store, greenlight, backlog } = this.deps;
    const id = instance.idInstance;
    const [settings, record, firstSeen, relayBacklog] = await Promise.all([
      this.read(instance),
      store.record(id),
      store.firstSeenAt(id),
      backlog?.backlogOf(id).catch(() => undefined),
    ]);
    const now: WebhookInspection["now"] =
      "reason" in settings
        ? { kind: "unreadable", reason: settings.reason }
        : {
            kind: "read",
            pointsAtGreenlight: greenlight ? sameUrl(settings.webhookUrl, greenlight.url) : false,
            webhookUrl: settings.webhookUrl,
            ...(settings.stateWebhook === undefined ? {} : { stateWebhook: settings.stateWebhook }),
          };
    return {
      now,
      ...(record
        ? {
            switched: {
              at: record.switchedAt,
              userId: record.userId,
              ...(record.forward ? { forwardUrl: record.forward.url } : {}),
              turnedStateWebhookOn: record.turnedStateWebhookOn,
              ...(firstSeen === undefined ? {} : { firstNotificationAt: firstSeen }),
            },
          }
        : {}),
      ...(relayBacklog ? { backlog: relayBacklog } : {}),
      missing: this.deps.missing,
    };
  }

  /** Settings this process lacks for /webhook on and off (empty: ready). */
  get missing(): readonly string[] {
    return this.deps.greenlight ? [] : this.deps.missing;
  }

  /** What /webhook off would set back; undefined when greenlight did not switch the instance. */
  async restorable(instance: Instance): Promise<{ webhookUrl: string } | undefined> {
    const record = await this.deps.store.record(instance.idInstance);
    return record ? { webhookUrl: record.original.webhookUrl } : undefined;
  }

  /** Before the first confirmation: what the switch would do (nothing is changed). */
  async preview(instance: Instance): Promise<OnPreview> {
    const greenlight = this.deps.greenlight;
    if (!greenlight) return { kind: "not-configured", missing: this.deps.missing };
    const settings = await this.read(instance);
    if ("reason" in settings) return this.failed(settings.reason);
    const plan = this.plan(settings, instance, greenlight);
    if (plan.kind === "already-on") return plan;
    const forwardUrl = plan.original.webhookUrl.trim();
    if (this.unreachable(forwardUrl)) return { kind: "private-target", forwardUrl };
    return {
      kind: "ask",
      ...(forwardUrl === "" ? {} : { forwardUrl }),
      turnsStateWebhookOn: plan.turnsStateWebhookOn,
    };
  }

  /**
   * Confirmed: reads the settings again (they may have changed since the question), keeps the
   * original, then points the instance at greenlight. `pollingAcknowledged`: the second
   * confirmation was given (needed when the instance has no webhook URL).
   */
  async switchOn(request: ChangeRequest, pollingAcknowledged: boolean): Promise<OnResult> {
    const { instance } = request;
    const greenlight = this.deps.greenlight;
    if (!greenlight) return { kind: "not-configured", missing: this.deps.missing };
    const settings = await this.read(instance);
    if ("reason" in settings)
      return this.audited(request, "webhook-on", this.failed(settings.reason));
    const plan = this.plan(settings, instance, greenlight);
    if (plan.kind === "already-on") return this.audited(request, "webhook-on", plan);
    const forwardUrl = plan.original.webhookUrl.trim();
    if (this.unreachable(forwardUrl))
      return this.audited(request, "webhook-on", { kind: "private-target", forwardUrl });
    if (plan.pollingWarning && !pollingAcknowledged) return { kind: "needs-polling-ack" };

    // Kept first: a setSettings that reached GREEN-API must always be reversible.
    const record = recordOf(plan, Date.now(), request.userId);
    await this.deps.store.keep(instance.idInstance, record);
    const failure = await this.set(instance, plan.patch);
    if (failure) {
      if (!failure.mayHaveApplied) await this.deps.store.forget(instance.idInstance);
      return this.audited(request, "webhook-on", failure);
    }
    return this.audited(request, "webhook-on", {
      kind: "done",
      ...(record.forward ? { forwardUrl: record.forward.url } : {}),
      turnedStateWebhookOn: plan.turnsStateWebhookOn,
    });
  }

  /** Confirmed: sets back exactly what /webhook on found, then forgets it. */
  async switchOff(request: ChangeRequest): Promise<OffResult> {
    const { instance } = request;
    const greenlight = this.deps.greenlight;
    if (!greenlight) return { kind: "not-configured", missing: this.deps.missing };
    const record = await this.deps.store.record(instance.idInstance);
    // Unreadable settings do not stop a restore: it is what the admin asked for.
    const settings = record ? await this.read(instance) : undefined;
    const current = settings && !("reason" in settings) ? settings : undefined;
    const plan = planSwitchOff(record, current, greenlight.url);
    if (plan.kind !== "restore") return this.audited(request, "webhook-off", plan);
    const failure = await this.set(instance, plan.patch);
    if (failure) return this.audited(request, "webhook-off", failure);
    await this.deps.store.forget(instance.idInstance);
    return this.audited(request, "webhook-off", {
      kind: "done",
      restoredUrl: plan.patch.webhookUrl ?? "",
      ...(plan.patch.stateWebhook === undefined
        ? {}
        : { restoredStateWebhook: plan.patch.stateWebhook }),
    });
  }

  /** An application URL the relay would refuse to post to (empty: nothing to forward). */
  private unreachable(forwardUrl: string): boolean {
    return forwardUrl !== "" && !isForwardableUrl(forwardUrl, this.deps.privateHosts);
  }

  private plan(
    settings: InstanceSettings,
    instance: Instance,
    greenlight: GreenlightWebhook,
  ): OnPlan {
    return planSwitchOn(settings, {
      url: greenlight.url,
      token: greenlight.tokenOf(instance.idInstance),
    });
  }

  private async read(instance: Instance): Promise<InstanceSettings | { reason: ActionFailure }> {
    try {
      return await onceMoreIfRateLimited(() => this.deps.calls.getSettings(instance));
    } catch (error) {
      this.deps.logger.warn({ err: error, instance: instance.name }, "getSettings failed");
      const result = resultOfError(error);
      return { reason: result.ok ? "failed" : result.reason };
    }
  }

  /** setSettings; undefined when GREEN-API saved them. */
  private async set(
    instance: Instance,
    patch: Parameters<SettingsCalls["setSettings"]>[1],
  ): Promise<Failed | undefined> {
    try {
      if (await onceMoreIfRateLimited(() => this.deps.calls.setSettings(instance, patch)))
        return undefined;
      return this.failed("declined");
    } catch (error) {
      // GreenApiError names the method and the instance, never the token or the URL.
      this.deps.logger.warn({ err: error, instance: instance.name }, "setSettings failed");
      const result = resultOfError(error);
      return this.failed(result.ok ? "failed" : result.reason);
    }
  }

  private failed(reason: ActionFailure): Failed {
    return { kind: "failed", reason, mayHaveApplied: mayHaveApplied(reason) };
  }

  /** One audit entry per confirmed change: its outcome in a few words, never a URL or token. */
  private async audited<R extends { kind: string }>(
    request: ChangeRequest,
    action: "webhook-on" | "webhook-off",
    result: R,
  ): Promise<R> {
    await this.deps.audit.record({
      action,
      userId: request.userId,
      chatId: request.chatId,
      instance: request.instance.name,
      result: auditResultOf(result),
    });
    return result;
  }
}

/**
 * A 429 (or no free slot in time) did nothing at GREEN-API: one more try, through the limiter's
 * next slot. A request that left its slot late can still land within GREEN-API's second.
 */
async function onceMoreIfRateLimited<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof GreenApiError && error.failure === "rate-limited") return call();
    throw error;
  }
}

function auditResultOf(result: { kind: string }): string {
  if (result.kind === "failed") {
    const failed = result as Failed;
    return `failed: ${failed.reason}${failed.mayHaveApplied ? " (may have applied)" : ""}`;
  }
  if (result.kind === "done") {
    const done = result as { turnedStateWebhookOn?: boolean; restoredStateWebhook?: string };
    if (done.turnedStateWebhookOn) return "done; stateWebhook turned on";
    if (done.restoredStateWebhook !== undefined)
      return `done; stateWebhook back to ${done.restoredStateWebhook}`;
    return "done";
  }
  return `refused: ${result.kind}`;
}
