import { UserNames } from "../access/user-names.js";
import { LINK_NOTE_WINDOW_MS } from "../alerts/transitions.js";
import type { LinkVia } from "../history/ports.js";
import type { Instance } from "../config/index.js";
import { Closures } from "../pairing/closures.js";
import { KnownPhones } from "../pairing/known-phones.js";
import { historyStore } from "./history.js";
import type { Shared } from "./shared.js";

/** getWaSettings per instance from the watcher at most this often (issue #13: once a day). */
const PHONE_REFRESH_MS = 24 * 3_600_000;
/** getWaSettings and showMessagesQueue are courtesies: never wait long for them. */
const COURTESY_TIMEOUT_MS = 5_000;

/**
 * What remembers how instances get linked again, shared by the watcher, the QR and pairing
 * workers and the bot: the last known number of each instance, team members' first names, and
 * who linked what (with GREEN-API's backlog), all in Redis.
 */
export function linking(shared: Shared) {
  const { connections, config, greenApi } = shared;
  const redis = connections.main;
  const prefix = config.env.REDIS_PREFIX;
  const logger = shared.logger.child({ part: "linking" });
  const timeoutMs = Math.min(config.env.GREEN_API_TIMEOUT_MS, COURTESY_TIMEOUT_MS);
  const knownPhones = new KnownPhones(
    redis,
    prefix,
    { greenApi, logger },
    { refreshEveryMs: PHONE_REFRESH_MS, timeoutMs },
  );
  const userNames = new UserNames(redis, prefix);
  const closures = new Closures(
    redis,
    prefix,
    { greenApi, names: userNames, knownPhones, logger },
    { timeoutMs },
  );
  const history = historyStore(shared);
  /** A link through greenlight, and how: the history's incident gets it as its fix. */
  const onLinkedVia =
    (via: LinkVia) => async (instance: Instance, userId: number, phone?: string) => {
      const closure = await closures.linked(instance, userId, phone, via);
      // The watcher may have closed the incident already (it saw the login first).
      if (closure.by) {
        const link = { by: closure.by, at: closure.at, via };
        await history.linked(instance.name, link, LINK_NOTE_WINDOW_MS).catch(() => undefined);
      }
      return closure;
    };
  return {
    knownPhones,
    userNames,
    closures,
    history,
    onLinked: onLinkedVia("qr"),
    onLinkedVia,
  };
}
