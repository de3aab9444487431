import { existsSync } from "node:fs";
import { ConfigError, loadConfig } from "./config/index.js";
import { instanceTokenKey, instanceWebhookToken } from "./config/webhook-secrets.js";

/**
 * `npm run webhook-tokens [-- idInstance…]`: each configured instance's own GREEN-API
 * webhookUrlToken (config/webhook-secrets.ts), one `name idInstance token` line each, printed to
 * the operator's own terminal only: greenlight never sends, logs or shows them anywhere else.
 * Extra arguments are ids of instances the file does not list (a partner account's).
 */
function main(): void {
  if (existsSync(".env")) process.loadEnvFile(".env");
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`greenlight: configuration error: ${error.message}\n`);
    process.exit(2);
  }
  const secret = config.env.WEBHOOK_SECRET;
  if (secret === undefined) {
    process.stderr.write(
      "greenlight: WEBHOOK_SECRET: is not set; set it to turn GREEN-API's webhook on, then run this again\n",
    );
    process.exit(2);
  }
  const extra = process.argv.slice(2);
  const bad = extra.find((id) => !/^\d{1,15}$/.test(id));
  if (bad !== undefined) {
    process.stderr.write(`greenlight: "${bad}" is not an idInstance (digits only)\n`);
    process.exit(2);
  }
  const key = instanceTokenKey({ BOT_TOKEN: config.env.BOT_TOKEN, WEBHOOK_SECRET: secret });
  const rows = [
    ...config.instances.all().map((instance) => [instance.name, instance.idInstance]),
    ...extra.map((id) => [config.instances.findById(id)?.name ?? "-", id]),
  ];
  for (const [name, idInstance] of rows) {
    process.stdout.write(`${name} ${idInstance} ${instanceWebhookToken(key, idInstance ?? "")}\n`);
  }
}

main();
