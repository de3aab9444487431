import { type Env, parseEnv } from "./env.js";
import { type InstanceRegistry, loadInstancesFile } from "./instances.js";

export { type Env, inSetupMode, secretChatsOf, teamOf } from "./env.js";
export { ConfigError, StartupError } from "./errors.js";
export { type Instance, InstanceRegistry, parseInstances } from "./instances.js";

export interface Config {
  env: Env;
  instances: InstanceRegistry;
}

/** Reads and validates everything from outside at start; throws ConfigError naming the field. */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const env = parseEnv(source);
  const allowInsecureHttp = env.ALLOW_INSECURE_HTTP === "1";
  return { env, instances: loadInstancesFile(env.INSTANCES_FILE, { allowInsecureHttp }) };
}
