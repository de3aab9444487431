import type { z } from "zod";

/** A configuration problem: main prints its message on one line and exits non-zero, no stack. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/**
 * Greenlight could not start for a reason outside it (Telegram, Redis): main prints the message as
 * one line, which names the variable to check and the fix, and exits non-zero. Never a secret.
 */
export class StartupError extends Error {
  override name = "StartupError";
}

/**
 * "[1].apiUrl (instance "shop"): Invalid URL" — names the field at fault, never its value, since
 * the value may be a token.
 */
export function describeZodIssue(issue: z.core.$ZodIssue | undefined, input?: unknown): string {
  if (!issue) return "invalid";
  const path = issue.path
    .map((key) => (typeof key === "number" ? `[${key}]` : `.${String(key)}`))
    .join("")
    .replace(/^\./, "");
  const instanceName = nameOfIndexedEntry(issue.path, input);
  const where = path ? `${path}${instanceName ? ` (instance "${instanceName}")` : ""}: ` : "";
  return `${where}${issue.message}`;
}

function nameOfIndexedEntry(path: PropertyKey[], input: unknown): string | undefined {
  const [index] = path;
  if (typeof index !== "number" || !Array.isArray(input)) return undefined;
  const entry: unknown = input[index];
  if (entry && typeof entry === "object" && "name" in entry && typeof entry.name === "string") {
    return entry.name.slice(0, 32);
  }
  return undefined;
}
