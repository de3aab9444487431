import { type Env, parseEnv } from "./env.js";
import { InstanceRegistry, loadInstancesFile } from "./instances.js";

export { type Env, inSetupMode, secretChatsOf, teamOf } from "./env.js";
export { ConfigError, StartupError } from "./errors.js";
export {
  type AccountFacts,
  type Instance,
  InstanceRegistry,
  type InstanceSource,
  type KnownInstance,
  parseInstances,
} from "./instances.js";

export interface Config {
  env: Env;
  /** Every instance known now: the file's, merged with the partner account's once synced. */
  instances: InstanceRegistry;
  /** The instances file as read at start; undefined when there is none (partner token only). */
  file?: InstanceRegistry;
}

/** Reads and validates everything from outside at start; throws ConfigError naming the field. */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  return configFrom(parseEnv(source));
}

/** The configuration of parsed settings: reads the instances file (optional with a partner token). */
export function configFrom(env: Env): Config {
  const allowInsecureHttp = env.ALLOW_INSECURE_HTTP === "1";
  const file = loadInstancesFile(env.INSTANCES_FILE, {
    allowInsecureHttp,
    optional: env.GREEN_API_PARTNER_TOKEN !== undefined,
  });
  const fromFile = (file?.all() ?? []).map((instance) => ({
    ...instance,
    source: "file" as const,
  }));
  return { env, instances: new InstanceRegistry(fromFile), ...(file ? { file } : {}) };
}
