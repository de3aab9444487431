// `npm run demo`: greenlight against the project's fake Telegram and fake GREEN-API, with a page
// that shows the chat like a phone. No bot token, no GREEN-API account, no network.
import { parseArgs } from "node:util";
import { REDIS_HELP, startPrivateOrGivenRedis } from "../test/kit/redis-server.js";
import { startDemo } from "./demo-app.js";

const STOP_DEADLINE_MS = 8_000;
const ORPHAN_CHECK_MS = 500;

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { port: { type: "string", default: "8090" } } });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    process.stderr.write(`demo: --port must be a port number, got ${values.port}\n`);
    process.exit(2);
  }
  let redis: { url: string; stop: () => Promise<void> };
  try {
    redis = await startPrivateOrGivenRedis("demo");
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`${message.includes(REDIS_HELP) ? message : `demo: ${message}`}\n`);
    process.exit(1);
  }
  let demo: Awaited<ReturnType<typeof startDemo>>;
  try {
    demo = await startDemo({ redisUrl: redis.url, port });
  } catch (error) {
    await redis.stop();
    const message = error instanceof Error ? error.message : String(error);
    const busy = message.includes("EADDRINUSE") ? ` (try npm run demo -- --port ${port + 1})` : "";
    process.stderr.write(`demo: could not start: ${message}${busy}\n`);
    process.exit(1);
  }
  process.stdout.write(
    [
      "",
      `  greenlight demo: open ${demo.url}`,
      "",
      "  Type /qr shop, watch the QR rotate, then press Scan beside shop.",
      "  /link shop gives a link: it opens the live QR page in a new tab; Scan links it there too.",
      "  depot needs a log out first; Log out on support sends an alert.",
      "  Fake Telegram, fake GREEN-API, private Redis: nothing leaves this machine.",
      "  Ctrl-C stops it.",
      "",
    ].join("\n"),
  );

  // npm forwards SIGINT and SIGTERM to its child but dies of SIGHUP (and SIGKILL) alone: the demo
  // would keep its port and its redis-server. A new parent means whoever started us is gone.
  const parent = process.ppid;
  const orphanCheck = setInterval(() => {
    if (process.ppid !== parent) stop();
  }, ORPHAN_CHECK_MS);
  // After a hang-up the terminal is gone: writing to it must not crash the stop.
  for (const stream of [process.stdout, process.stderr]) stream.on("error", () => undefined);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    clearInterval(orphanCheck);
    process.stdout.write("\n  stopping…\n");
    setTimeout(() => {
      process.stderr.write("demo: stopping took too long; exiting\n");
      process.exit(1);
    }, STOP_DEADLINE_MS).unref();
    void demo
      .stop()
      .finally(() => redis.stop())
      .then(() => process.exit(0));
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, stop);
}

void main();
