import { listedOffTeam } from "../access/roles.js";
import { teamOf } from "../config/index.js";
import { instanceSecrets } from "../config/secrets.js";
import { InstanceDirectory } from "../instance-directory/instance-directory.js";
import { PartnerClient } from "../green-api/partner.js";
import { TelegramFleetChannel } from "../telegram/fleet-channel.js";
import type { Part, Shared } from "./shared.js";

/** How long one getInstances may take (an account's list can be long). */
const PARTNER_TIMEOUT_MS = 30_000;

/**
 * The instance list's owner (instance-directory/instance-directory.ts), started before every other part: with
 * GREEN_API_PARTNER_TOKEN the first sync decides what the others see. Every process syncs on its
 * own; the news is told once.
 */
export function instanceDirectoryPart(shared: Shared, onSecrets: (tokens: string[]) => void): Part {
  const { config, connections } = shared;
  const { env } = config;
  const logger = shared.logger.child({ part: "fleet" });
  const team = teamOf(env);
  // Admins hear the news; with no admins, the operators administer (README "Who may do what").
  const adminChats = team.adminIds.length > 0 ? team.adminIds : team.operatorIds;
  const directory = new InstanceDirectory(
    {
      registry: config.instances,
      file: config.file?.all(),
      partner: env.GREEN_API_PARTNER_TOKEN
        ? new PartnerClient({
            partnerUrl: env.GREEN_API_PARTNER_URL,
            token: env.GREEN_API_PARTNER_TOKEN,
            timeoutMs: Math.max(env.GREEN_API_TIMEOUT_MS, PARTNER_TIMEOUT_MS),
            allowInsecure: env.ALLOW_INSECURE_HTTP === "1",
          })
        : undefined,
      greenApiUrl: env.GREEN_API_URL,
      redis: connections.main,
      prefix: env.REDIS_PREFIX,
      offTeam: listedOffTeam(config.file?.all() ?? [], team),
      channel: new TelegramFleetChannel(
        shared.telegram.alerts(),
        shared.alertLanguage,
        adminChats,
        logger,
      ),
      // Their webhook tokens are secrets too, not only their apiTokenInstance.
      onSecrets: (instances) => onSecrets(instances.flatMap((i) => instanceSecrets(env, i))),
      logger,
    },
    { syncEveryMs: env.PARTNER_SYNC_INTERVAL_MS },
  );
  return { start: () => directory.start(), stop: () => directory.stop() };
}
