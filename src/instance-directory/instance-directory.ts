import type { Redis } from "ioredis";
import type { InstanceRegistry, KnownInstance } from "../config/index.js";
import { type PartnerClient, PartnerError } from "../green-api/partner.js";
import type { Logger } from "../shared/logger.js";
import { expiryStage } from "./expiry.js";
import { changes, mergeInstances } from "./merge.js";
import type { ExpiryNotice, FleetChannel, OffTeamListing } from "./ports.js";

/** Expiry warnings are remembered this long (a stage is told once per expiration date). */
const EXPIRY_MEMORY_MS = 60 * 24 * 3_600_000;
/** One process announces a sync's news; the lock lapses if it dies meanwhile. */
const ANNOUNCE_LOCK_MS = 30_000;

export class PartnerStartError extends Error {}

/**
 * The one owner of the instance list of a process. Without a partner token it is the instances
 * file, as before. With one it asks the account (getInstances) at start and every
 * PARTNER_SYNC_INTERVAL_MS, merges it with the file (merge.ts) and replaces the registry
 * every part holds; the news (new and removed instances, paid periods ending) is told once to the
 * admins, by whichever process gets there first (Redis remembers what was told).
 */
export class InstanceDirectory {
  private timer: NodeJS.Timeout | undefined;
  private syncing: Promise<void> | undefined;

  constructor(
    private readonly deps: {
      registry: InstanceRegistry;
      /** The instances file; undefined when there is none. */
      file: readonly KnownInstance[] | undefined;
      partner: PartnerClient | undefined;
      greenApiUrl: string;
      redis: Redis;
      prefix: string;
      channel: FleetChannel | undefined;
      /** Ids the instances file lists that match no one on the team: told to the admins at start. */
      offTeam?: readonly OffTeamListing[];
      /** Instances learned from the account: their secrets are masked in every log line from now on. */
      onSecrets: (
        instances: ReadonlyArray<{ idInstance: string; apiTokenInstance: string }>,
      ) => void;
      logger: Logger;
    },
    private readonly options: { syncEveryMs: number },
  ) {}

  /**
   * The first sync. A wrong partner token (or an account that cannot be read) stops the start
   * when there is no instances file; with one, greenlight starts on the file and says why.
   */
  async start(): Promise<void> {
    await this.tellOffTeam().catch((error) =>
      this.deps.logger.warn({ err: error }, "could not tell the admins of ids on no team list"),
    );
    if (!this.deps.partner) return;
    try {
      await this.sync();
    } catch (error) {
      if (!this.deps.file) {
        const why =
          error instanceof PartnerError && error.failure === "unauthorized"
            ? "GREEN-API rejected GREEN_API_PARTNER_TOKEN (401): check the partner token"
            : `could not read the GREEN-API partner account (${(error as Error).message})`;
        throw new PartnerStartError(`${why}; there is no instances file to start with`);
      }
      this.warn(error);
    }
    this.timer = setInterval(() => void this.syncQuietly(), this.options.syncEveryMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.syncing?.catch(() => undefined);
  }

  /** One sync; throws what the partner API said (the list stays as it was then). */
  async sync(): Promise<void> {
    const { partner, registry, logger } = this.deps;
    if (!partner) return;
    const account = await partner.getInstances();
    const merged = mergeInstances(this.deps.file ?? [], account, this.deps.greenApiUrl);
    this.deps.onSecrets(merged);
    const before = registry.names();
    registry.replace(merged);
    const { added, removed } = changes(
      before.map((name) => ({ name })),
      merged,
    );
    if (added.length > 0 || removed.length > 0)
      logger.info({ added: added.length, removed: removed.length }, "instances synced");
    await this.tell(merged).catch((error) =>
      logger.warn({ err: error }, "could not tell the admins of the fleet's news"),
    );
  }

  private async syncQuietly(): Promise<void> {
    if (this.syncing) return;
    this.syncing = this.sync()
      .catch((error) => this.warn(error))
      .finally(() => (this.syncing = undefined));
    await this.syncing;
  }

  private warn(error: unknown): void {
    const failure = error instanceof PartnerError ? error.failure : "error";
    this.deps.logger.warn(
      { failure, instances: this.deps.registry.names().length },
      failure === "unauthorized"
        ? "GREEN-API rejected GREEN_API_PARTNER_TOKEN (401); keeping the last good instance list"
        : "could not sync the GREEN-API partner account; keeping the last good instance list",
    );
  }

  /**
   * Ids listed on an instance but on no team list get no access, so the instance silently
   * disappears from their /status: the admins are told at start, once per distinct list (every
   * process and restart with the same file stays quiet; a fixed file forgets it).
   */
  private async tellOffTeam(): Promise<void> {
    const { redis, prefix, channel, offTeam = [] } = this.deps;
    const key = `${prefix}:fleet:off-team-told`;
    if (offTeam.length === 0) {
      await redis.del(key);
      return;
    }
    if (!channel) return;
    const fingerprint = JSON.stringify(offTeam.map((e) => [e.instance, e.userId]));
    if ((await redis.get(key)) === fingerprint) return;
    await channel.warnOffTeam(offTeam);
    await redis.set(key, fingerprint);
  }

  /** The news of this sync, told once across every process. */
  private async tell(merged: readonly KnownInstance[]): Promise<void> {
    const { redis, prefix, channel } = this.deps;
    if (!channel) return;
    const lock = `${prefix}:fleet:announce-lock`;
    if ((await redis.set(lock, String(process.pid), "PX", ANNOUNCE_LOCK_MS, "NX")) !== "OK") return;
    try {
      const knownKey = `${prefix}:fleet:known`;
      const stored = await redis.get(knownKey);
      const told = stored
        ? (JSON.parse(stored) as string[])
        : (this.deps.file ?? []).map((instance) => instance.name);
      const change = changes(
        told.map((name) => ({ name })),
        merged,
      );
      if (change.added.length > 0 || change.removed.length > 0) {
        await channel.announceChanges(change);
      }
      await redis.set(knownKey, JSON.stringify(merged.map((instance) => instance.name)));

      const now = Date.now();
      const notices: ExpiryNotice[] = [];
      for (const instance of merged) {
        const stage = instance.account && expiryStage(now, instance.account);
        if (!stage) continue;
        const key = `${prefix}:fleet:expiry:${instance.idInstance}:${instance.account?.expiresAt ?? "none"}:${stage}`;
        if ((await redis.set(key, "1", "PX", EXPIRY_MEMORY_MS, "NX")) !== "OK") continue;
        notices.push({ instance: instance.name, stage, expiresAt: instance.account?.expiresAt });
      }
      if (notices.length > 0) await channel.warnExpiry(notices);
    } finally {
      await redis.del(lock);
    }
  }
}
