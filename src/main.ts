import { existsSync } from "node:fs";
import { createGreenlight } from "./app/index.js";
import { ConfigError, loadConfig, StartupError } from "./config/index.js";
import { processSecrets } from "./config/secrets.js";
import { chooseLogFormat, createLogger } from "./shared/logger.js";
import { Redactor } from "./shared/redact.js";

/** SIGTERM must end the process within this, whatever hangs (the compose stop timeout is 10 s). */
const SHUTDOWN_DEADLINE_MS = 9_000;

async function main(): Promise<void> {
  // Outside Docker, `npm start` reads ./.env as compose does; variables already set win.
  if (existsSync(".env")) process.loadEnvFile(".env");
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`greenlight: configuration error: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }

  const redactor = new Redactor(processSecrets(config.env, config.instances.all()));
  const logger = createLogger({
    level: config.env.LOG_LEVEL,
    redactor,
    format: chooseLogFormat(config.env.LOG_FORMAT, process.stdout.isTTY === true),
    prettyAskedFor: config.env.LOG_FORMAT === "pretty",
  });
  const app = createGreenlight(config, logger, { onSecrets: (tokens) => redactor.add(tokens) });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    setTimeout(() => {
      logger.error("shutdown took too long; exiting");
      logger.flush();
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    app
      .stop()
      .then(() => {
        logger.info("stopped");
        logger.flush(() => process.exit(0));
      })
      .catch((error) => {
        logger.error({ err: error }, "error while stopping");
        logger.flush(() => process.exit(1));
      });
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));

  try {
    await app.start();
  } catch (error) {
    if (stopping) return; // SIGTERM during the start: stop() exits
    if (error instanceof StartupError) {
      // One line naming the variable and the fix, like a configuration error; no stack.
      logger.flush(() => {
        process.stderr.write(`greenlight: ${redactor.redact(error.message)}\n`);
        process.exit(1);
      });
      return;
    }
    logger.fatal({ err: error }, "could not start");
    logger.flush(() => process.exit(1));
    return;
  }
  logger.info(
    { role: config.env.ROLE, instances: config.instances.names() },
    "greenlight is running",
  );
}

void main();
