import { Api, GrammyError, HttpError } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import { StartupError } from "../config/errors.js";

export interface ConnectOptions {
  token: string;
  apiRoot: string;
  /** Give up after this long (STARTUP_TIMEOUT_MS). */
  timeoutMs: number;
  /** Wait between attempts. */
  retryMs?: number;
  /** Told once per failed attempt that will be retried: one line for the log. */
  onRetry: (line: string) => void;
  signal?: AbortSignal;
}

const RETRY_MS = 5_000;
/** One getMe must not hang the start: a black-holed route answers nothing at all. */
const ATTEMPT_TIMEOUT_MS = 10_000;
/** Even the last attempt gets this long: a deadline must not turn "refused" into "no answer". */
const MIN_ATTEMPT_MS = 1_000;

/**
 * The first call to Telegram at start, without the auto-retry the bot's own Api has (that one
 * retries network errors forever): getMe, retried every 5 s with a line per attempt, until it
 * answers or `timeoutMs` is over. A rejected token is not retried. Throws StartupError with one
 * line naming BOT_TOKEN or TELEGRAM_API_ROOT and the fix; never the token.
 */
export async function connectTelegram(options: ConnectOptions): Promise<UserFromGetMe> {
  const { token, apiRoot, timeoutMs } = options;
  const retryMs = options.retryMs ?? RETRY_MS;
  const api = new Api(token, { apiRoot });
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 1; ; attempt++) {
    const left = deadline - Date.now();
    const timeout = AbortSignal.timeout(
      Math.max(MIN_ATTEMPT_MS, Math.min(ATTEMPT_TIMEOUT_MS, left)),
    );
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    let reason: string;
    try {
      // grammY types its signal with its own AbortSignal shim; Node's is what it uses.
      return await api.getMe(signal as Parameters<Api["getMe"]>[0]);
    } catch (error) {
      if (options.signal?.aborted) throw error;
      if (error instanceof GrammyError && (error.error_code === 401 || error.error_code === 404)) {
        throw new StartupError(
          `BOT_TOKEN: Telegram at ${apiRoot} rejected the bot token (${error.error_code} ` +
            `${error.description}): copy the current token from @BotFather (/mybots → API Token)`,
        );
      }
      reason = reasonOf(error, token);
    }
    const wait = Math.min(retryMs, deadline - Date.now());
    if (wait <= 0) {
      throw new StartupError(
        `TELEGRAM_API_ROOT: cannot reach Telegram at ${apiRoot} within ${seconds(timeoutMs)} ` +
          `(${attempt} attempts; last: ${reason}): check the network, a proxy or firewall, ` +
          `or TELEGRAM_API_ROOT`,
      );
    }
    options.onRetry(
      `cannot reach Telegram at ${apiRoot}: ${reason}; retrying in ${seconds(retryMs)}`,
    );
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}

/** Why an attempt failed, in a few words: the system's error code where there is one. */
function reasonOf(error: unknown, token: string): string {
  if (error instanceof GrammyError) return `${error.error_code} ${error.description}`;
  if (error instanceof HttpError) {
    const inner = error.error as { code?: unknown; name?: unknown; cause?: { code?: unknown } };
    if (inner?.name === "AbortError" || inner?.name === "TimeoutError") return "no answer";
    const code = inner?.cause?.code ?? inner?.code;
    if (typeof code === "string") return code;
    return redact(String((error.error as Error)?.message ?? error.message), token);
  }
  return redact(error instanceof Error ? error.message : String(error), token);
}

/** Messages of fetch errors quote the URL, and the token is in every Bot API URL. */
function redact(text: string, token: string): string {
  return text.split(token).join("<BOT_TOKEN>").slice(0, 200);
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

/** connectTelegram with what the environment says: the bot's token, root and start-up deadline. */
export function connectTelegramFrom(
  env: { BOT_TOKEN: string; TELEGRAM_API_ROOT: string; STARTUP_TIMEOUT_MS: number },
  logger: { warn(line: string): void },
  signal: AbortSignal,
) {
  return connectTelegram({
    token: env.BOT_TOKEN,
    apiRoot: env.TELEGRAM_API_ROOT,
    timeoutMs: env.STARTUP_TIMEOUT_MS,
    onRetry: (line) => logger.warn(line),
    signal,
  });
}
