import { Access } from "../access/access.js";
import { listedOffTeam } from "../access/roles.js";
import { type Config, inSetupMode, teamOf } from "../config/index.js";
import type { Logger } from "../shared/logger.js";
import { alertsPart } from "./alerts.js";
import { botPart } from "./bot.js";
import { instanceDirectoryPart } from "./instance-directory.js";
import { type HttpPart, startHttp } from "./http.js";
import { linkPageParts } from "./link-page.js";
import { pairingWatcherPart } from "./pairing.js";
import { qrWorkerPart } from "./qr.js";
import { setupGreenlight } from "./setup.js";
import { createShared, type Part } from "./shared.js";

export interface Greenlight {
  start(): Promise<void>;
  /** Stops taking updates, suspends running sessions for the next worker, closes connections. */
  stop(): Promise<void>;
  /** The HTTP server's port once started (HTTP_PORT=0 picks one); undefined when off. */
  httpPort(): number | undefined;
}

/** How long start() waits for Redis to accept connections (it may be starting alongside us). */
const REDIS_READY_TIMEOUT_MS = 15_000;

/**
 * The composition root: builds what the parts share, then the parts this process runs (`ROLE`
 * picks the bot, the worker or both). Nothing else in src/ constructs parts or wires features.
 */
export function createGreenlight(
  config: Config,
  logger: Logger,
  options: {
    /** Instance tokens learned at runtime (partner sync): the logger masks them from then on. */
    onSecrets?: (tokens: string[]) => void;
  } = {},
): Greenlight {
  const { env, instances } = config;
  if (inSetupMode(env)) return setupGreenlight(config, logger);
  const team = teamOf(env);
  for (const { instance, userId } of listedOffTeam(instances.all(), team)) {
    logger.warn(
      { instance, userId },
      "listed on an instance but in none of ADMIN_IDS, OPERATOR_IDS, VIEWER_IDS: no access",
    );
  }
  const shared = createShared(config, logger, new Access(instances, team));
  const { connections, queues, metrics } = shared;
  const redis = connections.main;

  // PUBLIC_URL set: links (bot), the page (HTTP), and the QR sessions' broadcast (worker).
  const linkPage = linkPageParts(shared);
  const workerParts: Part[] =
    env.ROLE === "bot"
      ? []
      : [
          qrWorkerPart(shared, linkPage),
          pairingWatcherPart(shared),
          ...(env.STATE_POLL_INTERVAL_MS > 0 ? [alertsPart(shared)] : []),
        ];
  const bot = env.ROLE === "worker" ? undefined : botPart(shared, linkPage);
  const fleet = instanceDirectoryPart(shared, options.onSecrets ?? (() => undefined));
  let http: HttpPart | undefined;

  return {
    async start() {
      await connections.untilReady(Math.min(REDIS_READY_TIMEOUT_MS, env.STARTUP_TIMEOUT_MS));
      await fleet.start();
      if (env.HTTP_PORT !== undefined) {
        const httpEnv = { ...env, HTTP_PORT: env.HTTP_PORT };
        const { alertIntake, alertStore } = shared;
        http = await startHttp({
          env: httpEnv,
          instances,
          redis,
          queues,
          alertIntake,
          alertStore,
          metrics,
          logger,
          linkPage: linkPage?.ports,
        });
      } else if (linkPage && env.ROLE !== "worker") {
        logger.warn(
          "PUBLIC_URL is set but HTTP_PORT is not: this process serves no link page (/l/…); set HTTP_PORT here or on the process PUBLIC_URL points at",
        );
      }
      linkPage?.start();
      for (const part of workerParts) await part.start();
      await bot?.start(http);
    },

    async stop() {
      // Stop taking updates first; then let handlers and session edits in flight finish.
      await bot?.stopTaking();
      await http?.close();
      linkPage?.stop();
      await Promise.all([bot?.stop(), ...workerParts.map((part) => part.stop())]);
      await fleet.stop();
      await shared.alertIntake.flush();
      await queues.close();
      connections.closeAll();
    },

    httpPort: () => http?.port,
  };
}
