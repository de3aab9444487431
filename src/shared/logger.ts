import { createRequire } from "node:module";
import { type Logger, pino } from "pino";
import { maskPhones, type Redactor, redactBotTokens, redactGreenApiUrl } from "./redact.js";

export type { Logger } from "pino";

/**
 * pino with every string that leaves through it scrubbed: known secrets (config/secrets.ts),
 * anything shaped like a GREEN-API or Bot API URL token and phone numbers, wherever they sit in
 * the log object.
 */
export function createLogger(options: {
  level: string;
  redactor: Redactor;
  destination?: pino.DestinationStream;
  /** `pretty`: readable lines through pino-pretty (a terminal); JSON otherwise. */
  format?: LogFormat;
  /** LOG_FORMAT=pretty was asked for by name: say so when pino-pretty is missing (auto stays quiet). */
  prettyAskedFor?: boolean;
}): Logger {
  const scrub = (text: string) =>
    maskPhones(redactBotTokens(redactGreenApiUrl(options.redactor.redact(text))));
  return pino(
    {
      level: options.level,
      base: { app: "greenlight" },
      hooks: {
        streamWrite: scrub,
      },
      serializers: { err: serializeError },
    },
    options.destination ??
      (options.format === "pretty" ? prettyTransport(options.prettyAskedFor ?? true) : undefined) ??
      pino.destination({ sync: false }),
  );
}

export type LogFormat = "json" | "pretty";

/** LOG_FORMAT: `auto` (the default) is pretty on a terminal and JSON for a collector or a file. */
export function chooseLogFormat(setting: "auto" | LogFormat, stdoutIsTty: boolean): LogFormat {
  if (setting !== "auto") return setting;
  return stdoutIsTty ? "pretty" : "json";
}

/**
 * pino-pretty in pino's transport thread: the scrubbing hook above has run on every line before it
 * gets there. pino-pretty is a development dependency: where it is not installed (a production
 * image), one line says so and the log stays JSON.
 */
function prettyTransport(askedFor: boolean): pino.DestinationStream | undefined {
  let target: string;
  try {
    target = createRequire(import.meta.url).resolve("pino-pretty");
  } catch {
    if (askedFor)
      process.stderr.write(
        "greenlight: LOG_FORMAT=pretty needs pino-pretty (npm i -D pino-pretty); logging JSON\n",
      );
    return undefined;
  }
  return pino.transport({
    target,
    // One line per entry, as in JSON; colours only where pino-pretty sees a colour terminal.
    options: { singleLine: true, translateTime: "SYS:HH:MM:ss", ignore: "pid,hostname,app" },
  }) as pino.DestinationStream;
}

/** How deep a serialized error's causes are searched for payloads. */
const MAX_ERROR_DEPTH = 5;

/**
 * pino's error serializer, without any `payload`: a GrammyError carries the whole request (a
 * /code reply's text with the full phone number, setWebhook's secret_token). What tells what
 * went wrong stays: the method, error_code and description, the message and the stack.
 */
export function serializeError(error: unknown): unknown {
  const serialized: unknown = pino.stdSerializers.err(error as Error);
  return withoutPayloads(serialized, 0);
}

function withoutPayloads(value: unknown, depth: number): unknown {
  if (depth > MAX_ERROR_DEPTH || value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  if ("payload" in record) delete record.payload;
  for (const key of Object.keys(record)) withoutPayloads(record[key], depth + 1);
  return value;
}
