import type { SecretRights } from "../access/secret-place.js";
import type { Instance, InstanceRegistry } from "../config/index.js";
import type { Closure } from "../shared/closure.js";
import type { GreenApiClient } from "../green-api/client.js";
import type { Logger } from "../shared/logger.js";
import { JobWorker, type JobWorkerOptions, type LoopEnd } from "../jobs/job-worker.js";
import { sleep } from "../shared/time.js";
import { localeOf } from "../shared/locale.js";
import type { CodeScreen } from "./ports.js";
import { type PairingJob, pairingJobs } from "./pairing-queue.js";
import type { PairingRecord, PairingStore } from "./pairing-store.js";

export interface PairingWatcherOptions extends JobWorkerOptions {
  /** getStateInstance allows 1 request/s per instance; a code is typed in tens of seconds. */
  checkEveryMs: number;
}

/**
 * Watches instances that were given a pairing code: edits the code message to "authorized" when
 * the instance logs in, or to "expired" (with New code / QR instead) when the code runs out.
 * Like QR sessions, a watch is resumable: it keeps nothing but ids in its job.
 */
export class PairingWatcher extends JobWorker<PairingJob> {
  constructor(
    private readonly deps: {
      store: PairingStore;
      greenApi: GreenApiClient;
      screen: CodeScreen;
      instances: InstanceRegistry;
      logger: Logger;
      /** The instance got linked: remember who and the number, read the backlog (closures.ts). */
      onLinked?: (
        instance: Instance,
        userId: number,
        phone?: string,
      ) => Promise<Closure | undefined>;
      /** Asked when a watch starts or resumes: the asker's right and the chat's place. */
      rights?: SecretRights;
    },
    private readonly options: PairingWatcherOptions,
  ) {
    super(
      pairingJobs,
      ({ instance, sessionId }, signal) => this.watch(instance, sessionId, signal),
      options,
      deps.logger,
    );
  }

  private async watch(
    instanceName: string,
    sessionId: string,
    signal: AbortSignal,
  ): Promise<LoopEnd> {
    const { store, greenApi, screen } = this.deps;
    if (await this.endIfRevoked(instanceName, sessionId)) return "expired";
    while (!signal.aborted) {
      const record = await store.get(instanceName);
      const instance = this.deps.instances.find(instanceName);
      if (!record || record.sessionId !== sessionId || !instance) return "replaced";
      const locale = localeOf(record.locale);
      if (Date.now() >= record.expiresAt) {
        await screen.showExpired(target(record), instanceName, locale);
        await store.finish(instanceName, sessionId);
        return "expired";
      }
      // Its turn under GREEN-API's 1/s per instance, shared with every other caller: waited for,
      // but never past the next check (the code's expiry must still show in time).
      const state = await greenApi
        .getStateInstance(instance, { signal, maxWaitMs: this.options.checkEveryMs })
        .catch(() => undefined);
      if (state === "authorized") {
        const phone = await greenApi
          .getWaSettings(instance, { timeoutMs: 5_000 })
          .then((settings) => settings.phone || undefined)
          .catch(() => undefined);
        const closure = await this.deps
          .onLinked?.(instance, record.startedBy, phone)
          .catch(() => undefined);
        await screen.showAuthorized(target(record), instanceName, phone, locale, closure);
        await store.finish(instanceName, sessionId);
        this.deps.logger.info({ instance: instanceName }, "instance linked with a pairing code");
        return "authorized";
      }
      await sleep(
        Math.min(this.options.checkEveryMs, Math.max(0, record.expiresAt - Date.now())),
        signal,
      );
    }
    return { suspended: true };
  }

  /**
   * A code whose asker lost the right, or whose chat its place, since it was asked for: its
   * message is closed at once (as if expired: the code leaves the chat), not at its expiry.
   */
  private async endIfRevoked(instanceName: string, sessionId: string): Promise<boolean> {
    const { store, screen, rights } = this.deps;
    if (!rights) return false;
    const record = await store.get(instanceName);
    if (!record || record.sessionId !== sessionId) return false;
    if (rights.mayContinue(record, instanceName)) return false;
    this.deps.logger.info(
      { instance: instanceName, startedBy: record.startedBy, chatId: record.chatId },
      "pairing code closed: its asker or its chat no longer may see it",
    );
    await screen.showExpired(target(record), instanceName, localeOf(record.locale));
    await store.finish(instanceName, sessionId);
    await rights.revoked(record, instanceName, "code");
    return true;
  }
}

const target = (record: PairingRecord) => ({ chatId: record.chatId, messageId: record.messageId });
