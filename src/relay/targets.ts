import type { InstanceRegistry } from "../config/index.js";
import { isForwardableUrl } from "../shared/forward-url.js";
import type { RelayTarget, StoredTarget } from "./ports.js";

/**
 * Where an instance's notifications go, first answer wins: its own webhookForwardUrl in the
 * instances file, then the target `/webhook <instance> on` kept (storedTarget), then
 * WEBHOOK_FORWARD_URL for every instance (partner-discovered ones included). None: not relayed,
 * exactly as before the relay existed. Only instances greenlight knows are relayed.
 * The stored target came from GREEN-API's settings (whoever controls the instance's console set
 * it): one pointing into this machine or its private network is not relayed to at all (SSRF),
 * nor sent to the fallback instead (that is another application's), unless FORWARD_PRIVATE_HOSTS
 * names its host.
 */
export class RelayTargets {
  constructor(
    private readonly deps: {
      instances: InstanceRegistry;
      storedTarget?: StoredTarget;
      fallback?: RelayTarget;
      /** FORWARD_PRIVATE_HOSTS: private hosts a stored target may still point at. */
      privateHosts?: readonly string[];
    },
  ) {}

  /** True when no instance can have a target at all: the relay can stay off. */
  get none(): boolean {
    const { instances, storedTarget, fallback } = this.deps;
    return (
      !fallback && !storedTarget && !instances.all().some((instance) => instance.webhookForwardUrl)
    );
  }

  async of(idInstance: string): Promise<RelayTarget | undefined> {
    const instance = this.deps.instances.findById(idInstance);
    if (!instance) return undefined;
    if (instance.webhookForwardUrl) {
      return {
        url: instance.webhookForwardUrl,
        ...(instance.webhookForwardToken ? { token: instance.webhookForwardToken } : {}),
      };
    }
    const stored = await this.deps.storedTarget?.(idInstance);
    if (!stored) return this.deps.fallback;
    if (!isForwardableUrl(stored.url, this.deps.privateHosts)) return undefined;
    // Its spelling is public; the address it resolves to is checked when the socket connects.
    const host = new URL(stored.url).hostname.replace(/^\[|\]$/g, "").toLowerCase();
    const allowed = (this.deps.privateHosts ?? []).some((name) => name.toLowerCase() === host);
    return allowed ? stored : { ...stored, publicOnly: true };
  }
}
