import { Access } from "../access/access.js";
import { listedOffTeam } from "../access/roles.js";
import { type Config, inSetupMode, teamOf } from "../config/index.js";
import type { Logger } from "../shared/logger.js";
import { alertsPart } from "./alerts.js";
import { botPart } from "./bot.js";
import { instanceDirectoryPart } from "./instance-directory.js";
import { type LinkPageParts, linkPageParts } from "./link-page.js";
import { type HttpPart, startHttp } from "./http.js";
import { pairingWatcherPart } from "./pairing.js";
import { qrWorkerPart } from "./qr.js";
import { type RelayParts, relayParts } from "./relay.js";
import { setupGreenlight } from "./setup.js";
import { webhookSetupStore } from "./webhook-setup.js";
import { connectTelegramFrom } from "../telegram/connect.js";
import { Connections } from "./connections.js";
import { createShared, type Part, type Shared } from "./shared.js";

export interface Greenlight {
  start(): Promise<void>;
  /** Stops taking updates, suspends running sessions for the next worker, closes connections. */
  stop(): Promise<void>;
  /** The HTTP server's port once started (HTTP_PORT=0 picks one); undefined when off. */
  httpPort(): number | undefined;
}

/** How long start() waits for Redis to accept connections (it may be starting alongside us). */
const REDIS_READY_TIMEOUT_MS = 15_000;

/** The parts this process runs, built once Redis and Telegram have answered. */
interface Running {
  shared: Shared;
  fleet: Part;
  workerParts: Part[];
  bot: ReturnType<typeof botPart> | undefined;
  /** The webhook relay; undefined when no instance can have a forward target. */
  relay: RelayParts | undefined;
  /** PUBLIC_URL set: links (bot), the page (HTTP), and the QR sessions' broadcast (worker). */
  linkPage: LinkPageParts | undefined;
}

function buildParts(shared: Shared, onSecrets: (tokens: string[]) => void): Running {
  const { env } = shared.config;
  // /webhook on keeps targets only where it can run (WEBHOOK_SECRET and WEBHOOK_URL set): without
  // them, and without any forward URL, the relay stays off and the webhook works as before.
  const setups = env.WEBHOOK_SECRET && env.WEBHOOK_URL ? webhookSetupStore(shared) : undefined;
  const relay = relayParts(
    shared,
    setups ? { storedTarget: (idInstance) => setups.storedForwardTarget(idInstance) } : {},
  );
  const linkPage = linkPageParts(shared);
  const workerParts: Part[] =
    env.ROLE === "bot"
      ? []
      : [
          qrWorkerPart(shared, linkPage),
          pairingWatcherPart(shared),
          ...(env.STATE_POLL_INTERVAL_MS > 0 ? [alertsPart(shared)] : []),
          ...(relay ? [relay.worker] : []),
        ];
  const bot = env.ROLE === "worker" ? undefined : botPart(shared, linkPage);
  const fleet = instanceDirectoryPart(shared, onSecrets);
  return { shared, fleet, workerParts, bot, relay, linkPage };
}

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
  // Nothing but this one connection exists until Redis and Telegram have both answered: no
  // worker, queue or scheduler can flood the log or write to a Redis we are not yet sure of.
  const connections = new Connections(env, logger);
  const stopping = new AbortController();
  let running: Running | undefined;
  let http: HttpPart | undefined;

  return {
    async start() {
      await connections.untilReady(Math.min(REDIS_READY_TIMEOUT_MS, env.STARTUP_TIMEOUT_MS));
      // Telegram before anything writes: a run with a wrong token or root leaves no keys behind.
      const botInfo = await connectTelegramFrom(env, logger, stopping.signal);
      const shared = createShared(config, logger, new Access(instances, team), connections);
      running = buildParts(shared, options.onSecrets ?? (() => undefined));
      const { fleet, workerParts, bot, relay, linkPage } = running;
      await fleet.start();
      if (env.HTTP_PORT !== undefined) {
        const httpEnv = { ...env, HTTP_PORT: env.HTTP_PORT };
        const { alertIntake, alertStore, queues, metrics } = shared;
        http = await startHttp({
          env: httpEnv,
          instances,
          redis: connections.main,
          queues,
          alertIntake,
          alertStore,
          metrics,
          logger,
          ...(relay ? { relay: relay.intake } : {}),
          ...(linkPage ? { linkPage: linkPage.ports } : {}),
        });
      } else if (linkPage && env.ROLE !== "worker") {
        logger.warn(
          "PUBLIC_URL is set but HTTP_PORT is not: this process serves no link page (/l/…); set HTTP_PORT here or on the process PUBLIC_URL points at",
        );
      }
      linkPage?.start();
      for (const part of workerParts) await part.start();
      await bot?.start(botInfo, http);
    },

    async stop() {
      stopping.abort();
      if (running) {
        const { bot, workerParts, fleet, shared, linkPage } = running;
        // Stop taking updates first; then let handlers and session edits in flight finish.
        await bot?.stopTaking();
        await http?.close();
        linkPage?.stop();
        await Promise.all([bot?.stop(), ...workerParts.map((part) => part.stop())]);
        await fleet.stop();
        await shared.alertIntake.flush();
        await shared.queues.close();
      }
      connections.closeAll();
    },

    httpPort: () => http?.port,
  };
}
