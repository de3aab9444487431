import { readFileSync } from "node:fs";
import { z } from "zod";
import { ConfigError, describeZodIssue } from "./errors.js";

export const INSTANCE_NAME_PATTERN = /^[a-z0-9_-]{1,32}$/;

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
  /** Optional per-instance access: only these operators see and act on it. */
  operators: z
    .array(z.number().int().positive("user ids are positive"))
    .min(1, "list at least one operator id, or leave the field out")
    .optional(),
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

/** The instances an operator manages, by the name used in commands. */
export class InstanceRegistry {
  private readonly byName: Map<string, Instance>;

  constructor(instances: Instance[]) {
    this.byName = new Map(instances.map((instance) => [instance.name, instance]));
  }

  /** Case-insensitive, like the names in the file. */
  find(name: string): Instance | undefined {
    return this.byName.get(name.trim().toLowerCase());
  }

  findById(idInstance: string): Instance | undefined {
    return this.all().find((instance) => instance.idInstance === idInstance);
  }

  all(): Instance[] {
    return [...this.byName.values()];
  }

  /** The instances this operator may see and act on (all, unless an instance lists operators). */
  visibleTo(userId: number): Instance[] {
    return this.all().filter((instance) => canOperate(instance, userId));
  }

  /** Like `find`, but an instance the operator may not see does not exist for them. */
  findFor(userId: number, name: string): Instance | undefined {
    const instance = this.find(name);
    return instance && canOperate(instance, userId) ? instance : undefined;
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  tokens(): string[] {
    return this.all().map((instance) => instance.apiTokenInstance);
  }
}

export function canOperate(instance: Instance, userId: number): boolean {
  return !instance.operators || instance.operators.includes(userId);
}

export function parseInstances(json: unknown, source: string): InstanceRegistry {
  const result = instancesFileSchema.safeParse(json);
  if (!result.success) {
    throw new ConfigError(`${source}: ${describeZodIssue(result.error.issues[0], json)}`);
  }
  return new InstanceRegistry(result.data);
}

export function loadInstancesFile(path: string): InstanceRegistry {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(
      `INSTANCES_FILE: cannot read ${path} (${code ?? "error"}); copy instances.example.json to ${path} and fill it in`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${path}: not valid JSON (${(error as Error).message})`);
  }
  return parseInstances(json, path);
}
