import { readFileSync } from "node:fs";
import { z } from "zod";
import { ConfigError, describeZodIssue } from "./errors.js";

export const INSTANCE_NAME_PATTERN = /^[a-z0-9_-]{1,32}$/;

const userIds = (role: string) =>
  z
    .array(z.number().int().positive("user ids are positive"))
    .min(1, `list at least one ${role} id, or leave the field out`);

const instanceSchema = z.strictObject({
  name: z
    .string()
    .transform((name) => name.trim().toLowerCase())
    .pipe(z.string().regex(INSTANCE_NAME_PATTERN, "use 1-32 characters a-z, 0-9, _ or -")),
  idInstance: z
    .union([z.string(), z.number().int()])
    .transform(String)
    .pipe(
      z.string().regex(/^\d{4,15}$/, "must be the numeric idInstance from the GREEN-API console"),
    ),
  apiTokenInstance: z.string().trim().min(10, "looks too short for an apiTokenInstance"),
  apiUrl: z
    .url({ protocol: /^https?$/ })
    .default("https://api.greenapi.com")
    .transform((url) => url.replace(/\/+$/, "")),
  /**
   * Optional per-instance access (src/access/roles.ts): an instance with any of these lists is
   * private to the team members it lists, each with the role of their list.
   */
  admins: userIds("admin").optional(),
  operators: userIds("operator").optional(),
  viewers: userIds("viewer").optional(),
  /** The instance's own application: its notifications are relayed there (src/relay/). */
  webhookForwardUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** Sent to webhookForwardUrl as `Authorization: Bearer <token>`, as GREEN-API sends its own. */
  webhookForwardToken: z.string().trim().min(1).max(1024).optional(),
});

const instancesFileSchema = z
  .array(instanceSchema)
  .min(1, "list at least one instance")
  .superRefine((instances, ctx) => {
    const seen = new Set<string>();
    instances.forEach((instance, index) => {
      if (seen.has(instance.name)) {
        ctx.addIssue({
          code: "custom",
          path: [index, "name"],
          message: `duplicate name "${instance.name}"`,
        });
      }
      seen.add(instance.name);
    });
  });

export type Instance = z.infer<typeof instanceSchema>;

/** Where greenlight learned of an instance: the instances file, or the GREEN-API partner account. */
export type InstanceSource = "file" | "account";

/** What the partner account says of an instance beyond its credentials (getInstances). */
export interface AccountFacts {
  /** When its paid period ends (ms since epoch); undefined: GREEN-API gave no date. */
  expiresAt?: number;
  isExpired?: boolean;
}

export interface KnownInstance extends Instance {
  source?: InstanceSource;
  account?: AccountFacts;
}

/**
 * The instances an operator manages, by the name used in commands. One object per process that
 * every part holds; with a partner token its content changes at runtime (instance-directory/instance-directory
 * replaces it after each sync, and listeners hear of it), so callers ask it each time, never keep
 * a copy.
 */
export class InstanceRegistry {
  private byName: Map<string, KnownInstance>;
  private byId: Map<string, KnownInstance>;
  private readonly listeners = new Set<() => void>();

  constructor(instances: KnownInstance[]) {
    this.byName = new Map(instances.map((instance) => [instance.name, instance]));
    this.byId = new Map(instances.map((instance) => [instance.idInstance, instance]));
  }

  /** Case-insensitive, like the names in the file. */
  find(name: string): KnownInstance | undefined {
    return this.byName.get(name.trim().toLowerCase());
  }

  findById(idInstance: string): KnownInstance | undefined {
    return this.byId.get(idInstance);
  }

  all(): KnownInstance[] {
    return [...this.byName.values()];
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  tokens(): string[] {
    return this.all().map((instance) => instance.apiTokenInstance);
  }

  /** The whole list at once (a partner sync); listeners run after. */
  replace(instances: KnownInstance[]): void {
    this.byName = new Map(instances.map((instance) => [instance.name, instance]));
    this.byId = new Map(instances.map((instance) => [instance.idInstance, instance]));
    for (const listener of this.listeners) listener();
  }

  /** Called after every replace; returns the unsubscribe. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }
}

export interface InstancesOptions {
  /** ALLOW_INSECURE_HTTP=1: an apiUrl may be plain http (the tests' fake GREEN-API). */
  allowInsecureHttp?: boolean;
}

export function parseInstances(
  json: unknown,
  source: string,
  options: InstancesOptions = {},
): InstanceRegistry {
  const result = instancesFileSchema.safeParse(json);
  if (!result.success) {
    throw new ConfigError(`${source}: ${describeZodIssue(result.error.issues[0], json)}`);
  }
  // The apiTokenInstance travels in every GREEN-API URL: plain http shows it to the network.
  const insecure = result.data.findIndex((instance) => !instance.apiUrl.startsWith("https://"));
  if (insecure >= 0 && !options.allowInsecureHttp) {
    throw new ConfigError(
      `${source}: [${insecure}].apiUrl (instance "${result.data[insecure]?.name}"): must be https (ALLOW_INSECURE_HTTP=1 allows http)`,
    );
  }
  const insecureForward = result.data.findIndex(
    (instance) =>
      instance.webhookForwardUrl !== undefined &&
      !instance.webhookForwardUrl.startsWith("https://"),
  );
  if (insecureForward >= 0 && !options.allowInsecureHttp) {
    throw new ConfigError(
      `${source}: [${insecureForward}].webhookForwardUrl (instance "${result.data[insecureForward]?.name}"): must be https (ALLOW_INSECURE_HTTP=1 allows http)`,
    );
  }
  return new InstanceRegistry(result.data);
}

export function loadInstancesFile(
  path: string,
  options: InstancesOptions & {
    /** A partner token is set: a missing file means "every instance from the account". */
    optional?: boolean;
  } = {},
): InstanceRegistry | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" && options.optional) return undefined;
    throw new ConfigError(
      `INSTANCES_FILE: cannot read ${path} (${code ?? "error"}); copy instances.example.json to ${path} and fill it in`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${path}: not valid JSON (${jsonErrorPlace(text, error)})`);
  }
  return parseInstances(json, path, options);
}

/**
 * "line 3, column 17" of a JSON syntax error. Never the error's own message: V8 quotes the text
 * around the fault, and in this file that text may be a token.
 */
function jsonErrorPlace(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : "";
  const position = /position (\d+)/.exec(message);
  // Node 20 sometimes gives no position, only the text around the fault: find it, never print it.
  const around = /"(?:\.\.\.)?(.+?)"(?:\.\.\.)? is not valid JSON/s.exec(message)?.[1];
  const offset = position ? Number(position[1]) : around ? text.indexOf(around) : -1;
  if (offset < 0) return "check the brackets, quotes and commas";
  const before = text.slice(0, offset).split("\n");
  return `near line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
}
