import { PairingStore } from "../pairing/pairing-store.js";
import { PairingWatcher } from "../pairing/pairing-watcher.js";
import { PairingScreen } from "../telegram/pairing-screen.js";
import { linking } from "./linking.js";
import { secretRights } from "./secret-rights.js";
import type { Part, Shared } from "./shared.js";

/** Watches issued pairing codes (worker role): "authorized" or "expired" on their message. */
export function pairingWatcherPart(shared: Shared): Part {
  const { config, settings, connections } = shared;
  const watcher = new PairingWatcher(
    {
      store: new PairingStore(connections.main, config.env.REDIS_PREFIX),
      greenApi: shared.greenApi,
      screen: new PairingScreen(shared.telegram.live()),
      instances: config.instances,
      logger: shared.logger.child({ part: "pairing" }),
      onLinked: linking(shared).onLinkedVia("code"),
      rights: secretRights(shared),
    },
    {
      connection: connections.forBullMq(),
      prefix: config.env.REDIS_PREFIX,
      concurrency: settings.pairingConcurrency,
      lockMs: settings.jobLockMs,
      stalledCheckMs: settings.stalledCheckMs,
      checkEveryMs: settings.pairingCheckEveryMs,
    },
  );
  return {
    async start() {
      watcher.start();
      await watcher.waitUntilReady();
    },
    stop: () => watcher.stop(),
  };
}
