import { type Logger, pino } from "pino";
import { type Redactor, redactBotTokens, redactGreenApiUrl } from "./redact.js";

export type { Logger } from "pino";

/**
 * pino with every string that leaves through it scrubbed: known secrets (tokens from config) and
 * anything shaped like a GREEN-API or Bot API URL token, wherever it sits in the log object.
 */
export function createLogger(options: {
  level: string;
  redactor: Redactor;
  destination?: pino.DestinationStream;
}): Logger {
  const scrub = (text: string) => redactBotTokens(redactGreenApiUrl(options.redactor.redact(text)));
  return pino(
    {
      level: options.level,
      base: { app: "greenlight" },
      hooks: {
        streamWrite: scrub,
      },
      serializers: { err: pino.stdSerializers.err },
    },
    options.destination ?? pino.destination({ sync: false }),
  );
}
